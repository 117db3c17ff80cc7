#!/usr/bin/env bash
# The x11 presence source's figures (issue 4, docs/design.md §7), against the release sitbreakd on a
# real Xvfb, `xdotool mousemove` as input:
#   - daemon wake-ups (voluntary context switches, all threads) per hour while the person is
#     active (a move every 2 s) and while idle (no input), each over a 60 s window in which the
#     engine has no deadline of its own (walk every 50m, posture every 20m);
#   - latency from launching `xdotool mousemove` to the `back` event on a subscriber of the
#     control socket (and, for scale, how long xdotool alone runs);
#   - idle RSS/PSS of the daemon with x11 in use, and without DISPLAY (the `always` source).
# Usage: Benchmarks/presence_x11.sh [--quick]   (--quick: 10 s windows, 3 latency samples)
# SITBREAKD=path uses that binary; otherwise the release build is made (as `make bench` does).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${SITBREAKD:-}" ]]; then
    swift build -c release --static-swift-stdlib --scratch-path .build-release --product sitbreakd >&2
    SITBREAKD=.build-release/release/sitbreakd
fi
for tool in Xvfb xdotool python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: run make deps" >&2; exit 1; }
done

exec python3 - "$SITBREAKD" "$@" <<'EOF'
import json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

BIN = os.path.abspath(sys.argv[1])
QUICK = "--quick" in sys.argv
WINDOW = 10 if QUICK else 60
SAMPLES = 3 if QUICK else 10
THRESHOLD = 5  # idle_threshold in seconds
CONFIG = f'''idle_threshold = "{THRESHOLD}s"
[breaks.walk]
every = "50m"
duration = "5m"
[breaks.posture]
every = "20m"
duration = "0s"
'''


def start_xvfb():
    # `env --default-signal`: a blocked SIGTERM inherited from the caller would outlive us.
    xvfb = subprocess.Popen(["env", "--default-signal", "Xvfb", "-displayfd", "1", "-noreset", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    display = ":" + xvfb.stdout.readline().decode().strip()
    return xvfb, display


class Daemon:
    def __init__(self, display):
        self.dir = tempfile.mkdtemp(prefix="sitbreak-bench-x11-")
        run = os.path.join(self.dir, "run")
        os.makedirs(run, mode=0o700)
        self.sock = os.path.join(run, "sitbreak", "control.sock")
        config = os.path.join(self.dir, "config.toml")
        open(config, "w").write(CONFIG)
        env = {"PATH": "/usr/bin:/bin", "HOME": self.dir, "TZ": "UTC", "XDG_RUNTIME_DIR": run,
               "XDG_STATE_HOME": os.path.join(self.dir, "state")}
        if display:
            env["DISPLAY"] = display
        self.proc = subprocess.Popen([BIN, "--config", config], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not os.path.exists(self.sock):
            if time.monotonic() > deadline:
                raise SystemExit("sitbreakd did not create its socket")
            time.sleep(0.01)

    def request(self, line):
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.sock)
            s.sendall((line + "\n").encode())
            return json.loads(s.makefile().readline())

    def idle_source(self):
        for chain in self.request('{"id":1,"cmd":"status"}')["result"]["presence"]:
            if chain["question"] == "idle":
                return next(f'{s["source"]} ({s["detail"]})' for s in chain["sources"] if s["in_use"])

    def voluntary(self):
        total = 0
        for tid in os.listdir(f"/proc/{self.proc.pid}/task"):
            for line in open(f"/proc/{self.proc.pid}/task/{tid}/status"):
                if line.startswith("voluntary_ctxt_switches"):
                    total += int(line.split()[1])
        return total

    def memory(self):
        rss = next(int(l.split()[1]) for l in open(f"/proc/{self.proc.pid}/status") if l.startswith("VmRSS"))
        pss = next(int(l.split()[1]) for l in open(f"/proc/{self.proc.pid}/smaps_rollup") if l.startswith("Pss:"))
        return rss / 1024, pss / 1024

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Subscriber:
    def __init__(self, daemon):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(daemon.sock)
        self.s.sendall(b'{"id":1,"cmd":"subscribe"}\n')
        self.f = self.s.makefile()
        self.f.readline()  # the reply

    def wait_for(self, event, timeout):
        self.s.settimeout(timeout)
        while True:
            line = self.f.readline()
            if json.loads(line).get("event") == event:
                return time.monotonic(), json.loads(line)


def move(display, n):
    subprocess.run(["xdotool", "mousemove", str(10 + n % 50 * 7), str(10 + n % 30 * 9)],
                   env=dict(os.environ, DISPLAY=display), check=True)


xvfb, display = start_xvfb()
try:
    move(display, 0)
    daemon = Daemon(display)
    events = Subscriber(daemon)
    print(f"idle source: {daemon.idle_source()}; idle_threshold {THRESHOLD} s; windows of {WINDOW} s")

    # Active: a move every 2 s for the whole window.
    n = 1
    start, t0 = daemon.voluntary(), time.monotonic()
    while time.monotonic() - t0 < WINDOW:
        move(display, n)
        n += 1
        time.sleep(2)
    active = (daemon.voluntary() - start) * 3600 / (time.monotonic() - t0)
    print(f"wake-ups while active: {active:.0f} an hour ({n - 1} moves)")

    # Idle: wait for `away`, and a second more for the daemon to finish saving its state after
    # it (fsync blocks: several context switches that belong to the event), then a window
    # without input.
    events.wait_for("away", THRESHOLD + 5)
    time.sleep(1)
    start, t0 = daemon.voluntary(), time.monotonic()
    time.sleep(WINDOW)
    idle = (daemon.voluntary() - start) * 3600 / (time.monotonic() - t0)
    print(f"wake-ups while idle: {idle:.0f} an hour")
    rss, pss = daemon.memory()
    print(f"idle memory with x11 in use: RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")

    # Latency: away, then a move; from launching xdotool to `back` on the subscriber.
    latencies, xdotool_runs = [], []
    for i in range(SAMPLES):
        if i:
            events.wait_for("away", THRESHOLD + 5)
        time.sleep(0.2)
        launched = time.monotonic()
        proc = subprocess.Popen(["xdotool", "mousemove", str(100 + i), str(100 + i)], env=dict(os.environ, DISPLAY=display))
        arrived, _ = events.wait_for("back", 5)
        proc.wait()
        xdotool_runs.append(time.monotonic() - launched)
        latencies.append((arrived - launched) * 1000)
    latencies.sort()
    print(f"xdotool mousemove → back: median {statistics.median(latencies):.1f} ms, "
          f"max {latencies[-1]:.1f} ms over {SAMPLES} ({', '.join(f'{x:.0f}' for x in latencies)} ms); "
          f"xdotool itself runs {statistics.median(xdotool_runs) * 1000:.0f} ms")
    daemon.stop()
finally:
    xvfb.terminate()
    xvfb.wait()

# For comparison: the same daemon without DISPLAY (the `always` source, no X libraries loaded).
plain = Daemon(None)
time.sleep(WINDOW / 6)
rss, pss = plain.memory()
print(f"idle memory without DISPLAY ({plain.idle_source()}): RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")
plain.stop()
EOF
