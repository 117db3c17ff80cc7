#!/usr/bin/env python3
"""Benchmarks of sitbreakd (issue 3, docs/design.md §7), against the release binary.

Prints: exec→READY=1, idle RSS/PSS after 60 s and again after the request benchmarks, wakeups per idle minute (no watchdog, and with the
shipped unit's WatchdogSec), `status` round trip p50/p99, requests per second with 8 clients, one
event fanned out to 1,000 subscribers, and reminder lateness against the due instant.

Usage: daemon_bench.py SITBREAKD [--quick]   (--quick shortens the idle windows, for a smoke run)
"""
import json, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time
from procstat import context_switches, memory

BIN = sys.argv[1]
QUICK = "--quick" in sys.argv
IDLE = 10 if QUICK else 60

QUIET = '[breaks.walk]\nevery = "50m"\nduration = "5m"\n[breaks.posture]\nevery = "20m"\nduration = "0s"\n'


def unit_watchdog_usec():
    text = open(os.path.join(os.path.dirname(__file__), "..", "systemd", "sitbreakd.service")).read()
    m = re.search(r"^WatchdogSec=(\d+)(min|s)?\s*$", text, re.M)
    if not m:
        return None
    n = int(m.group(1))
    return n * (60 if m.group(2) == "min" else 1) * 1_000_000


class Daemon:
    def __init__(self, config=QUIET, env=None):
        self.dir = tempfile.mkdtemp(prefix="sitbreak-bench-")
        self.run = os.path.join(self.dir, "run")
        os.makedirs(self.run, mode=0o700)
        self.sock = os.path.join(self.run, "sitbreak", "control.sock")
        self.config = os.path.join(self.dir, "config.toml")
        open(self.config, "w").write(config)
        self.notify_path = os.path.join(self.dir, "notify.sock")
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(self.notify_path)
        e = {"PATH": "/usr/bin:/bin", "HOME": self.dir, "TZ": "UTC", "XDG_RUNTIME_DIR": self.run,
             "XDG_STATE_HOME": os.path.join(self.dir, "state"), "NOTIFY_SOCKET": self.notify_path}
        e.update(env or {})
        self.start = time.monotonic()
        self.proc = subprocess.Popen([BIN, "--config", self.config], env=e,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ready_after = None
        self.notify.settimeout(10)
        while self.ready_after is None:
            data = self.notify.recv(4096).decode()
            if "READY=1" in data:
                self.ready_after = time.monotonic() - self.start

    def ctxt(self):
        return context_switches(self.proc.pid)

    def memory(self):
        return memory(self.proc.pid)

    def client(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.sock)
        return s

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def readline(s, buf):
    while b"\n" not in buf[0]:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError
        buf[0] += chunk
    line, buf[0] = buf[0].split(b"\n", 1)
    return line


def main():
    watchdog = unit_watchdog_usec()
    plain = Daemon()
    # Without WATCHDOG_PID, sd_watchdog_enabled accepts WATCHDOG_USEC for whichever process reads it.
    dogged = Daemon(env={"WATCHDOG_USEC": str(watchdog)}) if watchdog else None
    print(f"exec to READY=1: {plain.ready_after * 1000:.1f} ms")
    window = IDLE
    c0 = plain.ctxt()
    d0 = dogged.ctxt() if dogged else 0
    # Two ping intervals (one WatchdogSec) average over the ping phase.
    dog_window = max(window, watchdog / 1e6) if dogged and not QUICK else window
    time.sleep(window)
    c1 = plain.ctxt()
    rss, pss = plain.memory()
    print(f"idle daemon after {window} s: RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")
    print(f"wakeups while idle, no watchdog: {(c1 - c0) * 60 / window:.2f} per minute")
    if dogged:
        time.sleep(max(0, dog_window - window))
        d1 = dogged.ctxt()
        print(f"wakeups while idle, WatchdogSec={watchdog // 1_000_000} s: "
              f"{(d1 - d0) * 60 / dog_window:.2f} per minute (over {dog_window:.0f} s)")
        dogged.stop()

    # status round trips, one client
    s = plain.client()
    buf = [b""]
    times = []
    for i in range(5000):
        t = time.perf_counter()
        s.sendall(b'{"id":1,"cmd":"status"}\n')
        readline(s, buf)
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"status round trip: p50 {times[len(times) // 2] * 1e6:.0f} µs, "
          f"p99 {times[int(len(times) * 0.99)] * 1e6:.0f} µs (5000 requests, Python client)")
    s.close()
    # The pages start-up gave back come back with use: the figure after work is the one to quote.
    time.sleep(1)
    rss, pss = plain.memory()
    print(f"idle daemon after those 5000 status requests: RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")

    # throughput, 8 clients pipelining
    count = 4000
    def worker(results):
        c = plain.client()
        b = [b""]
        c.sendall(b'{"id":1,"cmd":"version"}\n' * count)
        for _ in range(count):
            readline(c, b)
        c.close()
        results.append(count)
    results = []
    threads = [threading.Thread(target=worker, args=(results,)) for _ in range(8)]
    t = time.perf_counter()
    for th in threads: th.start()
    for th in threads: th.join()
    elapsed = time.perf_counter() - t
    print(f"requests per second, 8 clients: {sum(results) / elapsed:,.0f} ({sum(results)} version requests)")

    # fan-out to 1000 subscribers
    subs = []
    for _ in range(1000):
        c = plain.client()
        c.sendall(b'{"id":1,"cmd":"subscribe"}\n')
        subs.append(c)
    for c in subs:
        b = [b""]
        readline(c, b); readline(c, b)  # reply and first state
        c.setblocking(True)
    got = []
    lock = threading.Lock()
    def reader(group):
        for c in group:
            b = [b""]
            while True:
                line = readline(c, b)
                if b'"event":"away"' in line:
                    with lock:
                        got.append(time.perf_counter())
                    break
    groups = [subs[i::8] for i in range(8)]
    readers = [threading.Thread(target=reader, args=(g,)) for g in groups]
    for r in readers: r.start()
    ctl = plain.client()
    t = time.perf_counter()
    ctl.sendall(b'{"id":1,"cmd":"presence","state":"lock"}\n')
    for r in readers: r.join(10)
    print(f"one event to 1000 subscribers: all {len(got)} had it within {(max(got) - t) * 1000:.1f} ms")
    for c in subs: c.close()
    ctl.close()
    time.sleep(1)
    rss, pss = plain.memory()
    print(f"idle daemon after all of the above (1000 subscribers gone): RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")
    plain.stop()

    # reminder lateness: a nudge every 2 s, compare arrival with the due second
    fast = Daemon(config='[breaks.tick]\nevery = "2s"\nduration = "0s"\n')
    c = fast.client()
    c.sendall(b'{"id":1,"cmd":"subscribe"}\n')
    b = [b""]
    late = []
    deadline = time.time() + (6 if QUICK else 20)
    while time.time() < deadline:
        line = readline(c, b)
        arrived = time.time()
        if b'"event":"reminder"' in line:
            due = json.loads(line)["time"]
            due_epoch = time.mktime(time.strptime(due, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
            late.append(arrived - due_epoch)
    rss, pss = fast.memory()
    fast.stop()
    print(f"daemon that fired reminders to a subscriber: RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")
    late.sort()
    print(f"reminder lateness against the due instant: median {late[len(late) // 2] * 1000:.1f} ms, "
          f"max {late[-1] * 1000:.1f} ms ({len(late)} reminders)")


main()
