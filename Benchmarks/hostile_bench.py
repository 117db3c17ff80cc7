#!/usr/bin/env python3
"""sitbreakd under hostile load (issue 9): an honest client's `status` while 4,000 other
connections are open and never read (half silent, half with one unread reply) and one more floods
requests without ever reading its replies.

Prints the honest client's status round trip (p50/p99 on one connection, and p99 connecting
afresh each time as sitbreakctl does), and the daemon's RSS: before, its highest sample during the
load and its peak (VmHWM). Goals: status p99 < 5 ms, RSS < 64 MiB.

Usage: hostile_bench.py SITBREAKD
"""
import os, resource, shutil, signal, socket, subprocess, sys, tempfile, threading, time

BIN = sys.argv[1]
HOSTILE = 4000
QUIET = '[breaks.walk]\nevery = "50m"\nduration = "5m"\n[breaks.posture]\nevery = "20m"\nduration = "0s"\n'


def memory_kib(pid, field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def round_trip(s):
    start = time.perf_counter()
    s.sendall(b'{"id":1,"cmd":"status"}\n')
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("the daemon closed the honest client's connection")
        data += chunk
    if b'"ok":true' not in data:
        raise RuntimeError(f"status failed: {data[:200]!r}")
    return time.perf_counter() - start


def percentile(times, p):
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * p))] * 1000


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    work = tempfile.mkdtemp(prefix="sitbreak-hostile-")
    run = os.path.join(work, "run")
    os.makedirs(run, mode=0o700)
    path = os.path.join(run, "sitbreak", "control.sock")
    config = os.path.join(work, "config.toml")
    open(config, "w").write(QUIET)
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "TZ": "UTC", "XDG_RUNTIME_DIR": run,
           "XDG_STATE_HOME": os.path.join(work, "state")}
    proc = subprocess.Popen([BIN, "--config", config], env=env, stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(work, "stderr.log"), "w"))
    try:
        for _ in range(500):
            try:
                round_trip(connect(path))
                break
            except OSError:
                time.sleep(0.02)
        time.sleep(1)
        rss_before = memory_kib(proc.pid, "VmRSS")

        # The flooder: sends status requests as fast as the socket takes them, never reads.
        flooder = connect(path)
        flooder.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        flooder.setblocking(False)
        stop = threading.Event()
        flood = b'{"cmd":"status"}\n' * 4096
        sent = [0]

        def flood_loop():
            while not stop.is_set():
                try:
                    sent[0] += flooder.send(flood)
                except BlockingIOError:
                    time.sleep(0.001)
                except OSError:
                    return

        threading.Thread(target=flood_loop, daemon=True).start()

        hostile = []
        for i in range(HOSTILE):
            s = connect(path)
            if i % 2:
                s.sendall(b'{"cmd":"status"}\n')  # and never read the reply
            hostile.append(s)
        time.sleep(0.5)

        peak_sample = [0]
        sampling = threading.Event()

        def sample():
            while not sampling.is_set():
                peak_sample[0] = max(peak_sample[0], memory_kib(proc.pid, "VmRSS"))
                time.sleep(0.05)

        threading.Thread(target=sample, daemon=True).start()

        honest = connect(path)
        for _ in range(100):
            round_trip(honest)  # warm-up
        persistent = [round_trip(honest) for _ in range(2000)]
        fresh = []
        for _ in range(200):
            s = connect(path)
            fresh.append(round_trip(s))
            s.close()
        sampling.set()
        stop.set()
        time.sleep(0.1)
        open_count = len(os.listdir(f"/proc/{proc.pid}/fd"))
        hwm = memory_kib(proc.pid, "VmHWM")
        print(f"hostile load: {HOSTILE} connections never reading (half silent), one flooder "
              f"({sent[0] / 1e6:.1f} MB of requests taken by the socket); daemon holds {open_count} descriptors")
        p99 = percentile(persistent, 0.99)
        print(f"honest status round trip under load: p50 {percentile(persistent, 0.5):.2f} ms, "
              f"p99 {p99:.2f} ms (2000 on one connection; goal p99 < 5 ms)")
        print(f"honest status connecting afresh each time: p50 {percentile(fresh, 0.5):.2f} ms, "
              f"p99 {percentile(fresh, 0.99):.2f} ms (200)")
        print(f"daemon RSS: {rss_before / 1024:.1f} MiB before, {peak_sample[0] / 1024:.1f} MiB highest sample "
              f"under load, peak (VmHWM) {hwm / 1024:.1f} MiB (goal < 64 MiB)")
        ok = p99 < 5 and hwm < 64 * 1024
        print("hostile-load goals: " + ("met" if ok else "NOT met"))
        for s in hostile:
            s.close()
        flooder.close()
        return 0 if ok else 1
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
