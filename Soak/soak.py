#!/usr/bin/env python3
"""Crash-point soak of sitbreakd (issue 9): kill -9 the real daemon at chosen and random moments.

Drives the real binary on a seconds-scale schedule: a subscriber collects every event, a client
feeds `presence active` and sends commands (pause, resume-reminders, snooze, done), and the daemon
is killed with SIGKILL at one of these moments, then restarted at once:

  ack       right after an acknowledged reply (the command must survive)
  reminder  as the subscriber receives a reminder (it must not be delivered again)
  quiet     after a quiet period of 1–4 s without any request (no break may be invented)
  random    at a random instant while commands and presence flow

After every restart it checks:
  - every acknowledged command is still in effect (`paused_until`, walk's `snoozed_until` in
    `status` equal what the acknowledged reply said);
  - no reminder is delivered twice: the same kind and nag again within less than the kind's
    `every` of engine time, across all runs (read from the daemon's event log, which also holds
    what a restart reports before any subscriber can connect);
  - sitting time continued: walk's `sitting_s` is not below what it was before the kill (unless
    an acknowledged `done walk` reset it), and no `break_taken` other than a `done` is logged (the
    feed never reports idle, so any such break was invented);
  - the state file is valid JSON of format 1 that the daemon loaded (no `.corrupt` file).

Usage: soak.py SITBREAKD [--kills N] [--seed S]
Prints: kills, acknowledged commands checked, losses, doubled reminders, invented breaks; exits 1
when any of the last three is not 0 or the daemon failed.
"""
import json, os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time

CONFIG = """idle_threshold = "2s"
coalesce = "0s"
[breaks.walk]
every = "6s"
duration = "3s"
renotify = "2s"
max_nags = 2
[breaks.posture]
every = "3s"
duration = "0s"
"""
EVERY = {"walk": 6, "posture": 3}


def parse_args(argv):
    binary, kills, seed = None, 200, None
    i = 0
    while i < len(argv):
        if argv[i] == "--kills":
            kills = int(argv[i + 1]); i += 2
        elif argv[i] == "--seed":
            seed = int(argv[i + 1]); i += 2
        else:
            binary = argv[i]; i += 1
    if binary is None:
        sys.exit(__doc__)
    return os.path.abspath(binary), kills, seed if seed is not None else int(time.time())


def epoch(rfc3339):
    return int(time.mktime(time.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone) if rfc3339 else None


class Client:
    """One line-oriented connection to the control socket."""

    def __init__(self, path, timeout=5):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = b""

    def line(self):
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def request(self, obj):
        self.sock.sendall((json.dumps(obj) + "\n").encode())
        while True:
            reply = self.line()
            if reply is None:
                raise ConnectionError("the daemon closed the connection")
            if reply.get("id") == obj.get("id"):
                return reply

    def close(self):
        self.sock.close()


class Soak:
    def __init__(self, binary, kills, seed):
        self.binary, self.kills_wanted, self.rng = binary, kills, random.Random(seed)
        self.seed = seed
        self.dir = tempfile.mkdtemp(prefix="sitbreak-soak-")
        self.run_dir = os.path.join(self.dir, "run")
        os.makedirs(self.run_dir, mode=0o700)
        self.sock_path = os.path.join(self.run_dir, "sitbreak", "control.sock")
        self.state_dir = os.path.join(self.dir, "state", "sitbreak")
        self.config = os.path.join(self.dir, "config.toml")
        open(self.config, "w").write(CONFIG)
        self.env = {"PATH": "/usr/bin:/bin", "HOME": self.dir, "TZ": "UTC", "XDG_RUNTIME_DIR": self.run_dir,
                    "XDG_STATE_HOME": os.path.join(self.dir, "state")}
        self.log = open(os.path.join(self.dir, "daemon.log"), "ab", buffering=0)
        self.process = None
        self.next_id = 1
        # What acknowledged commands promise: paused_until and walk's snoozed_until.
        self.expected = {"paused_until": None, "walk_snoozed_until": None}
        self.walk_reset = False
        self.unacknowledged = False
        self.sitting_before = None
        self.reminders = []  # (kind, nag, engine time)
        self.kills = self.acks = self.checked = 0
        self.losses, self.doubled, self.invented, self.failures = [], [], [], []
        self.reminder_seen = threading.Event()
        self.log_path = os.path.join(self.dir, "daemon.log")
        self.log_offset = 0
        self.day_offset = 0
        self.last_second = None

    # --- the daemon ----------------------------------------------------------------------------

    def start(self):
        self.process = subprocess.Popen([self.binary, "--config", self.config], env=self.env,
                                        stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                c = Client(self.sock_path, timeout=2)
                c.request({"id": 0, "cmd": "version"})
                c.close()
                break
            except (OSError, ConnectionError, ValueError):
                if self.process.poll() is not None:
                    raise RuntimeError(f"sitbreakd exited with {self.process.returncode}; log in {self.dir}")
                time.sleep(0.01)
        else:
            raise RuntimeError(f"sitbreakd did not answer within 15 s; log in {self.dir}")
        self.subscriber = Client(self.sock_path, timeout=None)
        self.subscriber.sock.sendall(b'{"id":"sub","cmd":"subscribe"}\n')
        self.reminder_seen.clear()
        self.listener = threading.Thread(target=self.listen, args=(self.subscriber,), daemon=True)
        self.listener.start()
        self.client = Client(self.sock_path)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1
        for c in (self.client, self.subscriber):
            try:
                c.close()
            except OSError:
                pass
        self.listener.join(timeout=5)

    def listen(self, subscriber):
        """The subscriber only signals a reminder's delivery (the moment to kill); what the daemon
        reported is read from its log, which also holds what a restart reports before any
        subscriber can connect."""
        while True:
            try:
                line = subscriber.line()
            except (OSError, ValueError):
                return
            if line is None:
                return
            if line.get("event") == "reminder":
                self.reminder_seen.set()

    def scan_log(self):
        """Reads the daemon's new event lines (`HH:MM:SS reminder walk (nag 1): …`,
        `HH:MM:SS break_taken walk: …`): reminders are checked for doubles, a break that was not
        marked done is invented (the presence feed never says idle)."""
        with open(self.log_path, "rb") as log:
            log.seek(self.log_offset)
            text = log.read()
        complete = text.rfind(b"\n") + 1
        self.log_offset += complete
        for raw in text[:complete].decode(errors="replace").splitlines():
            parts = raw.split(" ")
            if len(parts) < 3 or len(parts[0]) != 8 or parts[0][2] != ":":
                continue
            h, m, sec = (int(x) for x in parts[0].split(":"))
            second = h * 3600 + m * 60 + sec + self.day_offset
            if self.last_second is not None and second < self.last_second - 43200:
                self.day_offset += 86400
                second += 86400
            self.last_second = second
            if parts[1] == "reminder":
                kind, nag = parts[2], int(parts[4].rstrip("):"))
                self.record_reminder(kind, nag, second, raw)
            elif parts[1] == "break_taken" and "marked done" not in raw:
                self.invented.append(raw)

    def record_reminder(self, kind, nag, at, raw):
        for (k, n, t) in self.reminders:
            if k == kind and n == nag and abs(at - t) < EVERY[kind]:
                self.doubled.append(raw)
                break
        self.reminders.append((kind, nag, at))

    # --- traffic -------------------------------------------------------------------------------

    def request(self, cmd, **fields):
        obj = {"id": self.next_id, "cmd": cmd, **fields}
        self.next_id += 1
        return self.client.request(obj)

    def command(self):
        """Sends one state-changing command; on `ok`, records what it promises."""
        choice = self.rng.choice(["pause", "resume", "resume", "snooze", "done", "presence"])
        if choice == "pause":
            reply = self.request("pause", duration=self.rng.randint(60, 7200))
            until = [e["until"] for e in reply.get("result", {}).get("events", []) if e["event"] == "paused"]
            if reply.get("ok") and until:
                self.expected["paused_until"] = until[-1]
        elif choice == "resume":
            reply = self.request("resume-reminders")
            if reply.get("ok"):
                self.expected["paused_until"] = None
        elif choice == "snooze":
            reply = self.request("snooze", kind="walk", duration=self.rng.randint(600, 7200))
            until = [e["until"] for e in reply.get("result", {}).get("events", []) if e["event"] == "snoozed"]
            if reply.get("ok") and until:
                self.expected["walk_snoozed_until"] = until[-1]
        elif choice == "done":
            reply = self.request("done", kind="walk")
            if reply.get("ok"):
                self.expected["walk_snoozed_until"] = None
                self.walk_reset = True
        else:
            reply = self.request("presence", state="active")
        if reply.get("ok") and choice != "presence":
            self.acks += 1
        return reply

    def status(self):
        reply = self.request("status")
        if not reply.get("ok"):
            raise RuntimeError(f"status failed: {reply}")
        return reply["result"]

    @staticmethod
    def walk(status):
        return next(k for k in status["kinds"] if k["name"] == "walk")

    # --- one cycle -----------------------------------------------------------------------------

    def check_after_restart(self):
        status = self.status()
        self.scan_log()
        walk = self.walk(status)
        self.checked += 1
        if self.unacknowledged:
            # A command cut off by the kill: whatever it did or did not do is now what to expect.
            self.expected = {"paused_until": status.get("paused_until"), "walk_snoozed_until": walk.get("snoozed_until")}
            self.walk_reset = True
            self.unacknowledged = False
        if status.get("paused_until") != self.expected["paused_until"]:
            self.losses.append(("paused_until", self.expected["paused_until"], status.get("paused_until")))
        if walk.get("snoozed_until") != self.expected["walk_snoozed_until"]:
            self.losses.append(("walk snoozed_until", self.expected["walk_snoozed_until"], walk.get("snoozed_until")))
        if self.sitting_before is not None and not self.walk_reset and walk["sitting_s"] < self.sitting_before:
            self.invented.append(("walk sitting_s went down", self.sitting_before, walk["sitting_s"]))
        for name in os.listdir(self.state_dir):
            if name.endswith(".corrupt"):
                self.failures.append(f"the state file was set aside: {name}")
                os.unlink(os.path.join(self.state_dir, name))
        try:
            saved = json.load(open(os.path.join(self.state_dir, "state.json")))
            if saved.get("format") != 1:
                self.failures.append("state.json has no format 1")
        except (OSError, ValueError) as error:
            self.failures.append(f"state.json is not valid: {error}")
        self.walk_reset = False
        self.sitting_before = walk["sitting_s"]

    def cycle(self):
        moment = self.rng.choice(["ack", "ack", "reminder", "quiet", "random"])
        self.request("presence", state="active")
        if moment == "ack":
            for _ in range(self.rng.randint(0, 4)):
                self.command()
                time.sleep(self.rng.uniform(0, 0.2))
            while not self.command().get("ok"):
                pass
            self.kill()
        elif moment == "reminder":
            # Reminders need reminders enabled: an acknowledged resume first.
            reply = self.request("resume-reminders")
            if reply.get("ok"):
                self.expected["paused_until"] = None
                self.acks += 1
            self.reminder_seen.clear()
            deadline = time.time() + 10
            while not self.reminder_seen.wait(0.3) and time.time() < deadline:
                self.request("presence", state="active")
            self.kill()
        elif moment == "quiet":
            time.sleep(self.rng.uniform(1, 4))
            self.kill()
        else:
            # Killed from another thread at a random instant, possibly while a request is in
            # flight: a command whose reply never came may or may not have taken effect, so the
            # fields it touches are not checked this time (only acknowledged commands are).
            killer = threading.Timer(self.rng.uniform(0, 2), self.process.send_signal, (signal.SIGKILL,))
            killer.start()
            while killer.is_alive() or self.process.poll() is None:
                try:
                    self.command()
                except (OSError, ConnectionError, ValueError):
                    self.unacknowledged = True
                    break
                time.sleep(self.rng.uniform(0, 0.05))
            killer.join()
            self.kill()
        self.start()
        self.check_after_restart()

    def run(self):
        self.start()
        self.request("presence", state="active")
        time.sleep(0.5)
        self.sitting_before = self.walk(self.status())["sitting_s"]
        try:
            while self.kills < self.kills_wanted:
                self.cycle()
        finally:
            if self.process and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                self.process.wait()
        self.scan_log()
        print(f"soak (seed {self.seed}): kills {self.kills}, acknowledged commands {self.acks}, "
              f"restarts checked {self.checked}, reminders {len(self.reminders)}, losses {len(self.losses)}, "
              f"doubled reminders {len(self.doubled)}, invented breaks {len(self.invented)}, "
              f"other failures {len(self.failures)}")
        for name, items in (("lost", self.losses), ("doubled", self.doubled), ("invented", self.invented),
                            ("failure", self.failures)):
            for item in items[:10]:
                print(f"  {name}: {item}")
        bad = self.losses or self.doubled or self.invented or self.failures
        if bad:
            print(f"  daemon log kept in {self.dir}/daemon.log")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        return 1 if bad else 0


if __name__ == "__main__":
    binary, kills, seed = parse_args(sys.argv[1:])
    sys.exit(Soak(binary, kills, seed).run())
