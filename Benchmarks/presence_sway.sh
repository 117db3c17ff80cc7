#!/usr/bin/env bash
# The swayidle presence source (issue 4's performance section), against the release sitbreakd in a
# headless sway run as a non-root user (`sitbreak-test` when run as root, else oneself):
#   - wakeups (voluntary context switches) per hour of the daemon, and separately of its swayidle
#     child, while the person is active (a cursor move every 3 s) and while idle, each over WINDOW
#     seconds (default 60) on a schedule with no engine deadline in the window;
#   - latency from `swaymsg seat - cursor move` to `back` on a subscriber (and, for scale, how long
#     the swaymsg command itself takes);
#   - idle RSS/PSS of the daemon and of swayidle.
# Build first: swift build -c release --static-swift-stdlib --scratch-path .build-release --product sitbreakd
set -euo pipefail
cd "$(dirname "$0")/.."
export SITBREAKD=${SITBREAKD:-.build-release/release/sitbreakd}
export WINDOW=${WINDOW:-60}
export CYCLES=${CYCLES:-10}
[[ -x $SITBREAKD ]] || { echo "no $SITBREAKD: build it (see the top of $0)" >&2; exit 1; }
for tool in sway swaymsg swayidle python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: make deps installs it" >&2; exit 1; }
done

exec python3 - <<'PYTHON'
import json, os, pwd, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

BIN = os.path.abspath(os.environ["SITBREAKD"])
WINDOW = int(os.environ["WINDOW"])
CYCLES = int(os.environ["CYCLES"])
USER = "sitbreak-test"


def user():
    if os.geteuid() != 0:
        return os.getuid(), os.getgid(), []
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--create-home", "--home-dir", "/var/lib/" + USER,
                        "--shell", "/usr/sbin/nologin", USER], check=True)
        entry = pwd.getpwnam(USER)
    return entry.pw_uid, entry.pw_gid, ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}",
                                        "--init-groups", "--"]


UID, GID, AS_USER = user()
scratch = tempfile.mkdtemp(prefix="sitbreak-bench-sway-")
os.chmod(scratch, 0o755)
runtime = os.path.join(scratch, "run")
os.mkdir(runtime, 0o700)
os.chown(runtime, UID, GID)
open(os.path.join(scratch, "config"), "w").write("xwayland disable\n")
os.chmod(os.path.join(scratch, "config"), 0o644)
sway = subprocess.Popen(AS_USER + ["sway", "-c", os.path.join(scratch, "config")],
                        env={"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": runtime, "WLR_BACKENDS": "headless",
                             "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman"},
                        stdout=subprocess.DEVNULL, stderr=open(os.path.join(scratch, "sway.log"), "w"))
ipc = os.path.join(runtime, f"sway-ipc.{UID}.{sway.pid}.sock")
deadline = time.monotonic() + 15
display = None
while time.monotonic() < deadline and not (display and os.path.exists(ipc)):
    names = [n for n in os.listdir(runtime) if n.startswith("wayland-") and not n.endswith(".lock")]
    display = os.path.join(runtime, names[0]) if names else None
    time.sleep(0.05)
if not (display and os.path.exists(ipc)):
    sys.exit("sway did not start:\n" + open(os.path.join(scratch, "sway.log")).read()[-2000:])

step = [5]


def move():
    """One `swaymsg seat - cursor move` as the compositor's user; returns its start and end."""
    step[0] = -step[0]
    start = time.monotonic()
    subprocess.run(AS_USER + ["swaymsg", "-s", ipc, "--", "seat", "-", "cursor", "move", str(step[0]), str(step[0])],
                   check=True, stdout=subprocess.DEVNULL)
    return start, time.monotonic()


class Daemon:
    def __init__(self, threshold):
        self.dir = tempfile.mkdtemp(prefix="sitbreak-bench-sway-daemon-")
        os.makedirs(os.path.join(self.dir, "run"), mode=0o700)
        self.sock = os.path.join(self.dir, "run", "sitbreak", "control.sock")
        config = os.path.join(self.dir, "config.toml")
        # No engine deadline within the windows: the only break is hours away.
        open(config, "w").write(f'idle_threshold = "{threshold}s"\n[breaks.walk]\nevery = "10h"\nduration = "5m"\n')
        env = {"PATH": "/usr/bin:/bin", "HOME": self.dir, "TZ": "UTC", "XDG_RUNTIME_DIR": os.path.join(self.dir, "run"),
               "XDG_STATE_HOME": os.path.join(self.dir, "state"), "XDG_CONFIG_HOME": os.path.join(self.dir, "cfg"),
               "WAYLAND_DISPLAY": display}
        self.proc = subprocess.Popen([BIN, "--config", config], env=env, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.dir, "stderr.log"), "w"))
        deadline = time.monotonic() + 10
        while not os.path.exists(self.sock):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                sys.exit("sitbreakd did not start:\n" + open(os.path.join(self.dir, "stderr.log")).read())
            time.sleep(0.02)
        time.sleep(0.2)
        status = self.request({"id": 1, "cmd": "status"})["result"]
        idle = next(c for c in status["presence"] if c["question"] == "idle")
        used = next(s for s in idle["sources"] if s["in_use"])
        if used["source"] != "swayidle":
            sys.exit(f"the daemon uses {used['source']} ({used['detail']}), not swayidle: {idle}")
        self.swayidle = int(used["detail"].split("pid ")[1].split(")")[0])
        self.subscriber = socket.socket(socket.AF_UNIX)
        self.subscriber.connect(self.sock)
        self.subscriber.sendall(b'{"id":1,"cmd":"subscribe"}\n')
        self.buffer = b""

    def request(self, message):
        s = socket.socket(socket.AF_UNIX)
        s.connect(self.sock)
        s.sendall((json.dumps(message) + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            data += s.recv(65536)
        s.close()
        return json.loads(data)

    def wait_event(self, name, timeout):
        """The monotonic instant the subscriber read event `name`, or None."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                if json.loads(line).get("event") == name:
                    return time.monotonic()
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.subscriber.settimeout(left)
            try:
                chunk = self.subscriber.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buffer += chunk

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def switches(pid):
    """Voluntary context switches of every thread of `pid` (each is a wake-up from a sleep)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        for line in open(f"/proc/{pid}/task/{tid}/status"):
            if line.startswith("voluntary_ctxt_switches"):
                total += int(line.split()[1])
    return total


def memory(pid):
    values = {}
    for line in open(f"/proc/{pid}/smaps_rollup"):
        key = line.split(":")[0]
        if key in ("Rss", "Pss"):
            values[key] = int(line.split()[1]) / 1024
    return values["Rss"], values["Pss"]


def per_hour(count, seconds):
    return count * 3600 / seconds


try:
    # Wakeups: one daemon, a 10 s threshold. Active: a move every 3 s, so idle never fires.
    daemon = Daemon(threshold=10)
    move()
    time.sleep(1)
    d0, s0, t0 = switches(daemon.proc.pid), switches(daemon.swayidle), time.monotonic()
    while time.monotonic() - t0 < WINDOW:
        move()
        time.sleep(3)
    d1, s1, t1 = switches(daemon.proc.pid), switches(daemon.swayidle), time.monotonic()
    active = (d1 - d0, s1 - s0, t1 - t0)
    # Idle: no input; wait for `away` (the threshold), then a quiet window.
    if daemon.wait_event("away", 20) is None:
        sys.exit("no away after the active window")
    time.sleep(1)
    d0, s0, t0 = switches(daemon.proc.pid), switches(daemon.swayidle), time.monotonic()
    time.sleep(WINDOW)
    d1, s1, t1 = switches(daemon.proc.pid), switches(daemon.swayidle), time.monotonic()
    idle = (d1 - d0, s1 - s0, t1 - t0)
    rss, pss = memory(daemon.proc.pid)
    child_rss, child_pss = memory(daemon.swayidle)
    # One transition each way, for scale: what an idle and a back cost.
    d0, s0 = switches(daemon.proc.pid), switches(daemon.swayidle)
    move()
    if daemon.wait_event("back", 5) is None:
        sys.exit("no back after the idle window")
    time.sleep(0.5)
    back_cost = (switches(daemon.proc.pid) - d0, switches(daemon.swayidle) - s0)
    daemon.stop()

    # Latency: a 1 s threshold, CYCLES times: idle, then a move, then `back`.
    daemon = Daemon(threshold=1)
    latencies, after_return, command = [], [], []
    for _ in range(CYCLES):
        move()
        if daemon.wait_event("away", 10) is None:
            sys.exit("no away in a latency cycle")
        time.sleep(0.3)
        start, returned = move()
        seen = daemon.wait_event("back", 5)
        if seen is None:
            sys.exit("no back in a latency cycle")
        latencies.append((seen - start) * 1000)
        after_return.append(max(0.0, seen - returned) * 1000)
        command.append((returned - start) * 1000)
    daemon.stop()

    print(f"swayidle source, sway {subprocess.run(['sway', '--version'], capture_output=True, text=True).stdout.split()[-1]}"
          f", daemon {BIN}")
    for name, (d, s, seconds) in (("active (a cursor move every 3 s)", active), ("idle (no input, away)", idle)):
        print(f"wakeups while {name}, over {seconds:.0f} s: daemon {d} ({per_hour(d, seconds):.0f}/h), "
              f"swayidle {s} ({per_hour(s, seconds):.0f}/h)")
    print(f"one back (input after idle): daemon {back_cost[0]} wakeups, swayidle {back_cost[1]}")
    print(f"cursor move -> back, {CYCLES} runs: p50 {statistics.median(latencies):.1f} ms, "
          f"max {max(latencies):.1f} ms (swaymsg itself: p50 {statistics.median(command):.1f} ms; "
          f"after swaymsg returned: p50 {statistics.median(after_return):.1f} ms)")
    print(f"idle RSS: daemon {rss:.1f} MiB (PSS {pss:.1f}), swayidle {child_rss:.1f} MiB (PSS {child_pss:.1f})")
finally:
    sway.send_signal(signal.SIGTERM)
    try:
        sway.wait(5)
    except subprocess.TimeoutExpired:
        sway.kill()
        sway.wait()
    shutil.rmtree(scratch, ignore_errors=True)
PYTHON
