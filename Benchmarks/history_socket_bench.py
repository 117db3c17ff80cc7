#!/usr/bin/env python3
"""The history benchmark over the daemon's socket (issue 11), against the release sitbreakd.

A daemon is started on a store holding an imported simulated year (history_bench.sh makes it).
Prints: `stats` for a month and for the whole year so far over the socket (p50/p99, ms) while
another client sends `status` requests (their p99), the write cost of a batch with one event (a
`presence` request's round trip minus a `status` round trip: median and p99), idle RSS/PSS with the
store open (before and after the queries), and context switches per idle minute.

Usage: history_socket_bench.py SITBREAKD STORE CONFIG [--quick]
"""
import os, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time
from procstat import context_switches, memory

BIN, STORE, CONFIG = sys.argv[1:4]
QUICK = "--quick" in sys.argv
RUNS = 20 if QUICK else 100
IDLE = 10 if QUICK else 60


class Client:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""
        self.id = 0

    def request(self, body):
        self.id += 1
        self.s.sendall(('{"id":%d,%s}\n' % (self.id, body)).encode())
        while b"\n" not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise EOFError
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        if b'"ok":true' not in line:
            raise RuntimeError(line[:300])
        return line

    def timed(self, body):
        t = time.perf_counter()
        self.request(body)
        return (time.perf_counter() - t) * 1000


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    home = tempfile.mkdtemp(prefix="sitbreak-history-bench-")
    run = os.path.join(home, "run")
    state = os.path.join(home, "state", "sitbreak")
    os.makedirs(run, mode=0o700)
    os.makedirs(state, mode=0o700)
    shutil.copy(STORE, os.path.join(state, "history.sqlite3"))
    os.chmod(os.path.join(state, "history.sqlite3"), 0o600)
    sock = os.path.join(run, "sitbreak", "control.sock")
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "TZ": "UTC", "XDG_RUNTIME_DIR": run,
           "XDG_STATE_HOME": os.path.join(home, "state")}
    proc = subprocess.Popen([BIN, "--config", CONFIG], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        time.sleep(IDLE / 6)
        fresh = memory(proc.pid)
        client = Client(sock)
        today = time.strftime("%Y-%m-%d", time.gmtime())
        first_of_previous = time.strftime("%Y-%m-01", time.gmtime(time.time() - 32 * 86400))
        last_of_previous = time.strftime("%Y-%m-%d", time.gmtime(time.mktime(time.strptime(time.strftime("%Y-%m-01"), "%Y-%m-%d")) - 86400))
        month = '"cmd":"stats","since":"%s","until":"%s"' % (first_of_previous, last_of_previous)
        year = '"cmd":"stats","since":"2026-01-05","until":"%s"' % today
        days = client.request(year).count(b'"day":')

        status_times = []
        stop = threading.Event()

        def poll_status():
            other = Client(sock)
            while not stop.is_set():
                status_times.append(other.timed('"cmd":"status"'))
                time.sleep(0.002)

        poller = threading.Thread(target=poll_status)
        poller.start()
        month_times = [client.timed(month) for _ in range(RUNS)]
        year_times = [client.timed(year) for _ in range(RUNS)]
        stop.set()
        poller.join()
        print(f"stats month over the socket: p50 {pct(month_times, .5):.1f} ms, p99 {pct(month_times, .99):.1f} ms")
        print(f"stats year ({days} days) over the socket: p50 {pct(year_times, .5):.1f} ms, p99 {pct(year_times, .99):.1f} ms")
        print(f"status meanwhile from another client: p50 {pct(status_times, .5):.2f} ms, "
              f"p99 {pct(status_times, .99):.2f} ms ({len(status_times)} requests)")

        # A lock records `away` and ends the sitting span, an unlock starts one: one transaction each.
        plain = [client.timed('"cmd":"status"') for _ in range(RUNS)]
        writes = []
        for i in range(RUNS):
            writes.append(client.timed('"cmd":"presence","state":"%s"' % ("lock" if i % 2 == 0 else "unlock")))
        base = statistics.median(plain)
        print(f"write cost of a batch with one event (round trip − status round trip {base:.2f} ms): "
              f"median {statistics.median(writes) - base:.2f} ms, p99 {pct(writes, .99) - base:.2f} ms")
        # Present, not locked: leaving would end in a `break_taken` of the 30-second eyes break
        # within the idle window (a real event, with its fsyncs), and this counts idle wakeups.
        client.request('"cmd":"presence","state":"unlock"')
        client.s.close()
        time.sleep(1)
        before = context_switches(proc.pid)
        time.sleep(IDLE)
        switches = context_switches(proc.pid) - before
        after = memory(proc.pid)
        print(f"idle with the store open: RSS {fresh[0]:.1f} MiB, PSS {fresh[1]:.1f} MiB at start; "
              f"RSS {after[0]:.1f} MiB, PSS {after[1]:.1f} MiB after the queries")
        print(f"context switches in {IDLE} s idle: {switches}")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
        shutil.rmtree(home, ignore_errors=True)


main()
