#!/usr/bin/env bash
# The GNOME and KDE presence sources (issue 4's performance section), against the release sitbreakd
# on a private session bus with python3-dbusmock standing in for Mutter, gnome-shell's screen saver,
# gnome-session and KDE's screen locker (the templates of Tests/SitbreakPresenceTests/Mocks):
#   - wakeups (voluntary context switches) per hour of the daemon with `mutter` (push) while the
#     person is active (input every 3 s) and while idle, and with `kde` (polled GetSessionIdleTime)
#     while active and idle, each over WINDOW seconds (default 60) on a schedule with no engine
#     deadline in the window; for kde also the looks counted in the mock's log;
#   - latency from WatchFired (idle watch, user-active watch) and ActiveChanged(true/false) to
#     `away`/`back` on a subscriber, and, for scale, how long the mock's D-Bus call itself takes;
#   - idle RSS/PSS of the daemon with mutter, screensaver and gnome in use, and with kde.
# The daemon also wakes when anyone sets the wall clock (its cancel-on-set timer, "the wall clock was
# set" in its log): a test setting the clock meanwhile adds one wakeup to a window.
# Build first: swift build -c release --static-swift-stdlib --scratch-path .build-release --product sitbreakd
set -euo pipefail
cd "$(dirname "$0")/.."
export SITBREAKD=${SITBREAKD:-.build-release/release/sitbreakd}
export WINDOW=${WINDOW:-60}
export CYCLES=${CYCLES:-10}
export KDE_THRESHOLD=${KDE_THRESHOLD:-20}
export MOCKS=$PWD/Tests/SitbreakPresenceTests/Mocks
[[ -x $SITBREAKD ]] || { echo "no $SITBREAKD: build it (see the top of $0)" >&2; exit 1; }
[[ -x /usr/bin/dbus-daemon ]] || { echo "dbus-daemon is missing: make deps installs it" >&2; exit 1; }
/usr/bin/python3 -c 'import dbusmock' 2>/dev/null || { echo "python3-dbusmock is missing: make deps installs it" >&2; exit 1; }

exec /usr/bin/python3 - <<'PYTHON'
import atexit, json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

import dbus

BIN = os.path.abspath(os.environ["SITBREAKD"])
WINDOW = int(os.environ["WINDOW"])
CYCLES = int(os.environ["CYCLES"])
KDE_THRESHOLD = int(os.environ["KDE_THRESHOLD"])
MOCKS = os.environ["MOCKS"]
MOCK_IFACE = "org.freedesktop.DBus.Mock"
MUTTER = ("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core")
# Whatever is still running when the script ends, also by sys.exit on a failure: killed.
running = []
directories = []


@atexit.register
def cleanup():
    for process in reversed(running):
        if process.poll() is None:
            process.kill()
            process.wait()
    for directory in directories:
        shutil.rmtree(directory, ignore_errors=True)


class Bus:
    """A private dbus-daemon standing in for the session bus, and the mocks on it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sitbreak-bench-gnome-")
        directories.append(self.dir)
        self.address = "unix:path=" + os.path.join(self.dir, "bus")
        self.daemon = subprocess.Popen(["/usr/bin/dbus-daemon", "--session", "--nofork", "--nopidfile",
                                        "--address=" + self.address], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        running.append(self.daemon)
        deadline = time.monotonic() + 10
        while not os.path.exists(os.path.join(self.dir, "bus")):
            if time.monotonic() > deadline:
                sys.exit("dbus-daemon did not start")
            time.sleep(0.01)
        self.connection = dbus.bus.BusConnection(self.address)
        self.mocks = []

    def mock(self, template, name, parameters=None):
        arguments = ["/usr/bin/python3", "-m", "dbusmock", "--template", template]
        if parameters is not None:
            arguments += ["--parameters", json.dumps(parameters)]
        log = open(os.path.join(self.dir, name + ".log"), "w")
        process = subprocess.Popen(arguments, env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.address),
                                   stdout=log, stderr=log)
        running.append(process)
        deadline = time.monotonic() + 20
        while not self.connection.name_has_owner(name):
            if time.monotonic() > deadline or process.poll() is not None:
                sys.exit(f"dbusmock {template} did not take {name}: " + open(log.name).read())
            time.sleep(0.02)
        self.mocks.append(process)
        return log.name

    def call(self, name, path, interface, member, *arguments):
        return self.connection.get_object(name, path).get_dbus_method(member, interface)(*arguments)

    def stop(self):
        for process in self.mocks:
            process.kill()
            process.wait()
        self.connection.close()
        self.daemon.kill()
        self.daemon.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Daemon:
    def __init__(self, bus, threshold, expect):
        self.dir = tempfile.mkdtemp(prefix="sitbreak-bench-gnome-daemon-")
        directories.append(self.dir)
        os.makedirs(os.path.join(self.dir, "run"), mode=0o700)
        self.sock = os.path.join(self.dir, "run", "sitbreak", "control.sock")
        config = os.path.join(self.dir, "config.toml")
        # No engine deadline within the windows: the only break is hours away.
        open(config, "w").write(f'idle_threshold = "{threshold}s"\n[breaks.walk]\nevery = "10h"\nduration = "5m"\n')
        env = {"PATH": "/usr/bin:/bin", "HOME": self.dir, "TZ": "UTC", "XDG_RUNTIME_DIR": os.path.join(self.dir, "run"),
               "XDG_STATE_HOME": os.path.join(self.dir, "state"), "XDG_CONFIG_HOME": os.path.join(self.dir, "cfg"),
               "DBUS_SESSION_BUS_ADDRESS": bus.address}
        self.started = time.monotonic()
        self.proc = subprocess.Popen([BIN, "--config", config], env=env, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.dir, "stderr.log"), "w"), stdin=subprocess.DEVNULL)
        running.append(self.proc)
        deadline = time.monotonic() + 10
        while not os.path.exists(self.sock):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                sys.exit("sitbreakd did not start:\n" + open(os.path.join(self.dir, "stderr.log")).read())
            time.sleep(0.02)
        time.sleep(0.2)
        status = self.request({"id": 1, "cmd": "status"})["result"]
        for question, source in expect.items():
            chain = next(c for c in status["presence"] if c["question"] == question)
            used = next((s for s in chain["sources"] if s["in_use"]), None)
            if not used or used["source"] != source:
                sys.exit(f"the daemon does not use {source} for {question}: {chain}")
        self.subscriber = socket.socket(socket.AF_UNIX)
        self.subscriber.connect(self.sock)
        self.subscriber.sendall(b'{"id":1,"cmd":"subscribe"}\n')
        self.buffer = b""
        if self.wait_event("state", 5) is None:
            sys.exit("no state snapshot for the subscriber")

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

    def drain(self):
        self.subscriber.setblocking(False)
        try:
            while self.subscriber.recv(65536):
                pass
        except BlockingIOError:
            pass
        self.subscriber.setblocking(True)
        self.buffer = b""

    def clock_steps(self):
        """How often the daemon logged a wall-clock set (another program or test set the clock)."""
        return open(os.path.join(self.dir, "stderr.log")).read().count("the wall clock was set")

    def memory(self):
        rss = next(int(l.split()[1]) for l in open(f"/proc/{self.proc.pid}/status") if l.startswith("VmRSS"))
        pss = next(int(l.split()[1]) for l in open(f"/proc/{self.proc.pid}/smaps_rollup") if l.startswith("Pss:"))
        return rss / 1024, pss / 1024

    def stop(self):
        self.subscriber.close()
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


def window(daemon, each=None, looks_log=None, looks_member=None):
    """Context switches of the daemon per hour over WINDOW seconds, calling `each` every 3 s; and,
    given a mock's log, that mock's `looks_member` calls per hour."""
    def looks():
        return sum(1 for l in open(looks_log) if l.split()[1:2] == [looks_member]) if looks_log else 0
    time.sleep(1)
    steps = daemon.clock_steps()
    before, looks_before, start = switches(daemon.proc.pid), looks(), time.monotonic()
    while time.monotonic() - start < WINDOW:
        if each:
            each()
        time.sleep(min(3, max(0, WINDOW - (time.monotonic() - start))))
    elapsed = time.monotonic() - start
    per_hour = (switches(daemon.proc.pid) - before) * 3600 / elapsed
    if daemon.clock_steps() > steps:
        print(f"  (the wall clock was set {daemon.clock_steps() - steps} time(s) during the window below, "
              "waking the daemon once each)")
    return per_hour, (looks() - looks_before) * 3600 / elapsed


def percentiles(samples):
    samples = sorted(samples)
    return (f"median {statistics.median(samples) * 1000:.1f} ms, max {samples[-1] * 1000:.1f} ms "
            f"(n={len(samples)})")


def watches(bus):
    return {int(k): int(v) for k, v in bus.call(*MUTTER, MOCK_IFACE, "GetWatches").items()}


def fire(bus, watch):
    start = time.monotonic()
    bus.call(*MUTTER, MOCK_IFACE, "FireWatch", dbus.UInt32(watch))
    return start, time.monotonic()


# --- GNOME: mutter, screensaver, gnome ---------------------------------------------------------
bus = Bus()
mutter_log = bus.mock(os.path.join(MOCKS, "mutter_idle_monitor.py"), MUTTER[0], {"idletime": 0})
bus.mock("gnome_screensaver", "org.gnome.ScreenSaver")
bus.mock(os.path.join(MOCKS, "gnome_session_manager.py"), "org.gnome.SessionManager")
print(f"GNOME: mutter, screensaver (gnome-shell), gnome (gnome-session) through python3-dbusmock; windows of {WINDOW} s")

# Mutter holds the watches, so the threshold changes nothing in the daemon's wakeups; 10 s lets the
# idle watch fired after the active window give `away` at once (the daemon took its start, when
# Mutter said active, as input).
daemon = Daemon(bus, 10, {"idle": "mutter", "lock": "screensaver", "inhibit": "gnome"})
rss, pss = daemon.memory()
print(f"  idle RSS {rss:.1f} MiB, PSS {pss:.1f} MiB (release sitbreakd, mutter + screensaver + gnome in use)")
active, _ = window(daemon, each=lambda: bus.call(*MUTTER, MOCK_IFACE, "Input"))
print(f"  mutter, active (input every 3 s):  {active:6.0f} wakeups/hour")
idle_watch = next(w for w, interval in watches(bus).items() if interval > 0)
# Mutter would fire it a threshold after the last input at the earliest.
time.sleep(max(0, daemon.started + 10.5 - time.monotonic()))
fire(bus, idle_watch)
if daemon.wait_event("away", 3) is None:
    sys.exit("no away after WatchFired")
idle, _ = window(daemon)
print(f"  mutter, idle:                       {idle:6.0f} wakeups/hour")
daemon.stop()

# Latency on a 1 s threshold: WatchFired and ActiveChanged to away/back on the subscriber.
bus.call(*MUTTER, MOCK_IFACE, "Input")
daemon = Daemon(bus, 1, {"idle": "mutter", "lock": "screensaver"})
time.sleep(1.2)
idle_watch = next(w for w, interval in watches(bus).items() if interval > 0)
to_away, to_back, calls = [], [], []
for _ in range(CYCLES):
    daemon.drain()
    start, end = fire(bus, idle_watch)
    seen = daemon.wait_event("away", 3)
    if seen is None:
        sys.exit("no away after the idle watch fired: " + open(os.path.join(daemon.dir, "stderr.log")).read())
    to_away.append(seen - start)
    calls.append(end - start)
    active_watch = next(w for w, interval in watches(bus).items() if interval == 0)
    start, end = fire(bus, active_watch)
    seen = daemon.wait_event("back", 3)
    if seen is None:
        sys.exit("no back after the user-active watch fired")
    to_back.append(seen - start)
    calls.append(end - start)
    # The next idle watch fires a threshold after this input at the earliest.
    time.sleep(1.2)
print(f"  WatchFired (idle watch) -> away:        {percentiles(to_away)}")
print(f"  WatchFired (user-active watch) -> back: {percentiles(to_back)}")
lock, unlock = [], []
saver = ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver")
for _ in range(CYCLES):
    daemon.drain()
    start = time.monotonic()
    bus.call(*saver, "SetActive", True)
    calls.append(time.monotonic() - start)
    seen = daemon.wait_event("away", 3)
    if seen is None:
        sys.exit("no away after ActiveChanged(true)")
    lock.append(seen - start)
    start = time.monotonic()
    bus.call(*saver, "SetActive", False)
    seen = daemon.wait_event("back", 3)
    if seen is None:
        sys.exit("no back after ActiveChanged(false)")
    unlock.append(seen - start)
    time.sleep(0.1)
print(f"  ActiveChanged(true) -> away:            {percentiles(lock)}")
print(f"  ActiveChanged(false) -> back:           {percentiles(unlock)}")
print(f"  (the mock's D-Bus call alone, which emits the signal: {percentiles(calls)})")
daemon.stop()
bus.stop()

# --- KDE: kde (polled) ---------------------------------------------------------------------------
bus = Bus()
kde = ("org.freedesktop.ScreenSaver", "/ScreenSaver")
kde_log = bus.mock(os.path.join(MOCKS, "freedesktop_screensaver.py"), kde[0], {"idletime": 0})
print(f"KDE: kde (GetSessionIdleTime of a kscreenlocker stand-in), idle_threshold {KDE_THRESHOLD} s; windows of {WINDOW} s")
daemon = Daemon(bus, KDE_THRESHOLD, {"idle": "kde", "lock": "screensaver"})
rss, pss = daemon.memory()
print(f"  idle RSS {rss:.1f} MiB, PSS {pss:.1f} MiB (release sitbreakd, kde + screensaver in use)")
active, looks = window(daemon, each=lambda: bus.call(*kde, MOCK_IFACE, "Input"), looks_log=kde_log,
                       looks_member="GetSessionIdleTime")
print(f"  kde, active (input every 3 s):  {active:6.0f} wakeups/hour, {looks:5.0f} looks/hour "
      f"(one per threshold: {3600 / KDE_THRESHOLD:.0f})")
bus.call(*kde, MOCK_IFACE, "SetIdletime", dbus.UInt32(KDE_THRESHOLD * 1000 + 5000))
if daemon.wait_event("away", KDE_THRESHOLD + 5) is None:
    sys.exit("no away from kde")
idle, looks = window(daemon, looks_log=kde_log, looks_member="GetSessionIdleTime")
print(f"  kde, idle:                      {idle:6.0f} wakeups/hour, {looks:5.0f} looks/hour (one a second)")
daemon.stop()

# Latency on a 2 s threshold (looks a second apart while idle): input at varying phases of the
# looks, then idle again by itself.
bus.call(*kde, MOCK_IFACE, "Input")
daemon = Daemon(bus, 2, {"idle": "kde"})
back = []
for i in range(CYCLES):
    daemon.drain()
    if daemon.wait_event("away", 6) is None:
        sys.exit("no away from kde")
    time.sleep(0.3 + (i % 7) / 10)
    start = time.monotonic()
    bus.call(*kde, MOCK_IFACE, "Input")
    seen = daemon.wait_event("back", 3)
    if seen is None:
        sys.exit("no back from kde")
    back.append(seen - start)
print(f"  input -> back (seen at the next look, a second apart): {percentiles(back)}")
daemon.stop()
bus.stop()
PYTHON
