#!/usr/bin/env bash
# Benchmarks of the logind presence sources (issue 4), against the release sitbreakd with
# python3-dbusmock's logind on a private dbus-daemon standing in for the system bus:
#   - the daemon's wakeups (context switches, every thread) per hour while the person is present
#     and while idle, logind quiet (no signals), over WINDOW seconds each, with a schedule that has
#     no deadline inside the windows;
#   - latency from a LockedHint change to `away` (and back to `back`) on a subscriber, the change
#     made by a D-Bus client (dbus-python, as a screen locker does) and by busctl (a process
#     started for each change, which adds its start-up);
#   - idle RSS and PSS of the daemon with the four logind sources in use.
# Usage: Benchmarks/presence_logind.sh [WINDOW_SECONDS]   (default 60; builds the release daemon
# if it is missing, as `make bench` does)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${SITBREAKD:-.build-release/release/sitbreakd}
if [[ ! -x "$bin" ]]; then
    swift build -c release --static-swift-stdlib --scratch-path .build-release --product sitbreakd
fi
for tool in /usr/bin/dbus-daemon /usr/bin/busctl; do
    [[ -x "$tool" ]] || { echo "$tool is missing: run make deps" >&2; exit 1; }
done
/usr/bin/python3 -c 'import dbusmock' || { echo "python3-dbusmock is missing: run make deps" >&2; exit 1; }

# procstat.py, beside this script, reads RSS/PSS as the other benchmarks do.
PYTHONPATH="$(dirname "$0")" exec /usr/bin/python3 - "$bin" "${1:-60}" <<'PYTHON'
import json, os, shutil, socket, statistics, subprocess, sys, tempfile, time
from procstat import memory

import dbus

BIN, WINDOW = os.path.abspath(sys.argv[1]), float(sys.argv[2])
LOGIN1 = "org.freedesktop.login1"
MOCK = "org.freedesktop.DBus.Mock"
SESSION = "/org/freedesktop/login1/session/_32"
# Nothing falls due for hours: the engine has no deadline in the windows. A short idle threshold,
# so that logind's idle hint turns into `away` seconds after the last unlock (which is input).
CONFIG = 'idle_threshold = "3s"\n[breaks.walk]\nevery = "8h"\nduration = "5m"\n'
ROUNDS = 20

work = tempfile.mkdtemp(prefix="sitbreak-logind-bench-")
children = []


def start(argv, env=None, log=None):
    out = open(os.path.join(work, log), "w") if log else subprocess.DEVNULL
    p = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    children.append(p)
    return p


def wait_for(what, check, timeout=20):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.02)


def readline(s, buf):
    while b"\n" not in buf[0]:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError("the daemon closed the connection")
        buf[0] += chunk
    line, buf[0] = buf[0].split(b"\n", 1)
    return json.loads(line)


def wait_event(s, buf, name):
    while True:
        event = readline(s, buf)
        if event.get("event") == name:
            return time.time()


def switches(pid):
    voluntary = involuntary = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        for line in open(f"/proc/{pid}/task/{tid}/status"):
            if line.startswith("voluntary_ctxt_switches"):
                voluntary += int(line.split()[1])
            elif line.startswith("nonvoluntary_ctxt_switches"):
                involuntary += int(line.split()[1])
    return voluntary, involuntary


def per_hour(window_name, pid):
    v0, n0 = switches(pid)
    time.sleep(WINDOW)
    v1, n1 = switches(pid)
    print(f"wakeups while {window_name} ({WINDOW:.0f} s, logind quiet): "
          f"{(v1 - v0) * 3600 / WINDOW:.1f} voluntary per hour "
          f"({v1 - v0} in the window), {(n1 - n0) * 3600 / WINDOW:.1f} involuntary per hour")


def summary(label, values):
    values = sorted(v * 1000 for v in values)
    print(f"{label}: median {statistics.median(values):.2f} ms, "
          f"p95 {values[int(len(values) * 0.95) - 1]:.2f} ms, max {values[-1]:.2f} ms ({len(values)} changes)")


try:
    address = f"unix:path={work}/bus"
    start(["/usr/bin/dbus-daemon", "--session", "--nofork", "--nopidfile", "--address=" + address],
          log="dbus-daemon.log")
    wait_for("dbus-daemon", lambda: os.path.exists(f"{work}/bus"))
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address)
    start(["/usr/bin/python3", "-m", "dbusmock", "--system", "--template", "logind"], env=env, log="mock.log")
    bus = dbus.bus.BusConnection(address)
    wait_for("the mocked logind", lambda: bus.name_has_owner(LOGIN1))
    manager = bus.get_object(LOGIN1, "/org/freedesktop/login1")
    manager.AddSession("_32", "seat0", dbus.UInt32(os.getuid()), "bench", True, dbus_interface=MOCK)
    manager.AddMethod("org.freedesktop.login1.Manager", "GetSession", "s", "o", f"ret = '{SESSION}'",
                      dbus_interface=MOCK)
    session = bus.get_object(LOGIN1, SESSION)

    run = os.path.join(work, "run")
    os.makedirs(run, mode=0o700)
    config = os.path.join(work, "config.toml")
    open(config, "w").write(CONFIG)
    socket_path = os.path.join(run, "sitbreak", "control.sock")
    daemon = start([BIN, "--config", config], log="sitbreakd.log", env={
        "PATH": "/usr/bin:/bin", "HOME": work, "TZ": "UTC", "XDG_RUNTIME_DIR": run,
        "XDG_STATE_HOME": os.path.join(work, "state"), "XDG_CONFIG_HOME": os.path.join(work, "config"),
        "DBUS_SYSTEM_BUS_ADDRESS": address})
    wait_for("sitbreakd's socket", lambda: os.path.exists(socket_path))

    control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    control.connect(socket_path)
    cbuf = [b""]
    control.sendall(b'{"id":1,"cmd":"status"}\n')
    status = readline(control, cbuf)["result"]
    used = {chain["question"]: next((s for s in chain["sources"] if s["in_use"]), None)
            for chain in status["presence"]}
    for question in ("suspend", "lock", "idle", "inhibit"):
        source = used.get(question)
        print(f"{question}: {source['source'] + ' (' + source['detail'] + ')' if source else 'no source'}")
        if not source or source["source"] != "logind":
            sys.exit(f"the daemon does not use logind for {question}")
    if not status["present"]:
        sys.exit("the daemon does not count the person present (IdleHint=false should be input)")

    watcher = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    watcher.connect(socket_path)
    wbuf = [b""]
    watcher.sendall(b'{"id":2,"cmd":"subscribe"}\n')
    readline(watcher, wbuf)
    time.sleep(1)

    per_hour("present", daemon.pid)

    before = sum(switches(daemon.pid))
    away, back = [], []
    for _ in range(ROUNDS):
        t = time.time()
        session.SetLockedHint(True, dbus_interface="org.freedesktop.login1.Session")
        away.append(wait_event(watcher, wbuf, "away") - t)
        t = time.time()
        session.SetLockedHint(False, dbus_interface="org.freedesktop.login1.Session")
        back.append(wait_event(watcher, wbuf, "back") - t)
        time.sleep(0.05)
    summary("LockedHint true -> away, D-Bus client", away)
    summary("LockedHint false -> back, D-Bus client", back)
    away = []
    for _ in range(ROUNDS):
        for hint, event in (("true", "away"), ("false", "back")):
            t = time.time()
            subprocess.run(["/usr/bin/busctl", "--address=" + address, "call", LOGIN1, SESSION,
                            "org.freedesktop.login1.Session", "SetLockedHint", "b", hint], check=True)
            latency = wait_event(watcher, wbuf, event) - t
            if event == "away":
                away.append(latency)
        time.sleep(0.05)
    summary("LockedHint true -> away, busctl (includes starting busctl)", away)
    print(f"(the counter is live: {sum(switches(daemon.pid)) - before} context switches "
          f"for those {4 * ROUNDS} changes)")

    # Idle for ten minutes according to logind: away at once, then nothing to do.
    monotonic_us = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000 - 600_000_000
    session.UpdateProperties("org.freedesktop.login1.Session", {
        "IdleHint": dbus.Boolean(True), "IdleSinceHint": dbus.UInt64(int(time.time() * 1e6) - 600_000_000),
        "IdleSinceHintMonotonic": dbus.UInt64(monotonic_us)}, dbus_interface=MOCK)
    wait_event(watcher, wbuf, "away")
    time.sleep(1)
    per_hour("idle", daemon.pid)

    rss, pss = memory(daemon.pid)
    print(f"idle daemon with the logind sources: RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")

    # The same daemon where no system bus answers: no sd-bus connection, for comparison (alone,
    # so that PSS does not split the binary's pages between two daemons).
    daemon.kill()
    daemon.wait()
    other = os.path.join(work, "other")
    os.makedirs(os.path.join(other, "run"), mode=0o700)
    alone = start([BIN, "--config", config], log="alone.log", env={
        "PATH": "/usr/bin:/bin", "HOME": other, "TZ": "UTC", "XDG_RUNTIME_DIR": os.path.join(other, "run"),
        "XDG_STATE_HOME": os.path.join(other, "state"), "XDG_CONFIG_HOME": os.path.join(other, "config"),
        "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={work}/no-bus"})
    wait_for("the second sitbreakd", lambda: os.path.exists(os.path.join(other, "run", "sitbreak", "control.sock")))
    time.sleep(2)
    rss, pss = memory(alone.pid)
    print(f"the same daemon without a system bus (no logind source): RSS {rss:.1f} MiB, PSS {pss:.1f} MiB")
finally:
    for p in reversed(children):
        p.kill()
        p.wait()
    shutil.rmtree(work, ignore_errors=True)
PYTHON
