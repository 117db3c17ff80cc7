import Foundation
import Glibc
import SitbreakSystem
import SitbreakTesting
import Testing

/// `status`'s result as the contract in docs/protocol.md shapes it; times on a fixed day in 2030,
/// so they are never "today" and print with their date.
private let statusResult =
    #"{"protocol":1,"version":"0.1.0","present":true,"paused_until":null,"suspended":false,"today_sitting_s":5400,"#
    + #""next_deadline":"2030-11-30T09:56:00Z","sources":["always-present"],"config":"built-in default","#
    + #""kinds":[{"name":"posture","every_s":1200,"duration_s":0,"sitting_s":720,"due":false,"#
    + #""next_reminder":"2030-11-30T09:56:00Z","snoozed_until":null,"snoozes":0,"nag":null},"#
    + #"{"name":"walk","every_s":3000,"duration_s":300,"sitting_s":3000,"due":true,"next_reminder":null,"#
    + #""snoozed_until":"2030-11-30T10:40:00Z","snoozes":1,"nag":0},"#
    + #"{"name":"stretch","every_s":7200,"duration_s":600,"sitting_s":2040,"due":false,"#
    + #""next_reminder":"2030-11-30T11:36:00Z","snoozed_until":null,"snoozes":0,"nag":null}],"#
    + #""status_line":"sitting since 09:10 · posture at 09:56"}"#

private let statusSummary = """
    present · sitting since 09:10 · posture at 09:56
    reminders: on
    sitting today: 1h30m
    next reminder: posture at 2030-11-30 09:56
      posture  sitting 12m of 20m · nudge · next at 2030-11-30 09:56
      walk     sitting 50m of 50m · 5m break · due (reminded) · snoozed until 2030-11-30 10:40 · 1 snooze
      stretch  sitting 34m of 2h · 10m break · next at 2030-11-30 11:36
    sources: always-present
    config: built-in default

    """

private func ok(_ result: String) -> String { #"{"id":1,"ok":true,"result":"# + result + "}" }
private func failure(_ code: String, _ message: String) -> String {
    #"{"id":1,"ok":false,"error":{"code":""# + code + #"","message":""# + message + #""}}"#
}
private func events(_ lines: String...) -> String { ok(#"{"events":["# + lines.joined(separator: ",") + "]}") }

private let snoozedWalk =
    #"{"time":"2030-11-30T10:30:00Z","event":"snoozed","kind":"walk","until":"2030-11-30T10:40:00Z"}"#

/// A fake daemon in a fresh directory that answers every request with `reply`, and the directory.
private func withDaemon(
    replying reply: String? = nil, onConnect: FakeDaemon.Response? = nil,
    respond: (@Sendable (String) -> FakeDaemon.Response)? = nil, _ body: (FakeDaemon, TemporaryDirectory) throws -> Void
) throws {
    // A short prefix: the whole socket path must fit sun_path's 108 bytes.
    let dir = try TemporaryDirectory(prefix: "sbctl")
    defer { dir.remove() }
    let fixed = reply
    let daemon = try FakeDaemon(
        path: dir.path + "/control.sock", onConnect: onConnect,
        respond: respond ?? { _ in FakeDaemon.Response(lines: fixed.map { [$0] } ?? []) })
    defer { daemon.stop() }
    try body(daemon, dir)
}

@Suite("sitbreakctl against a fake daemon")
struct DaemonCommandTests {
    @Test("status: the request, and the summary in local time")
    func status() throws {
        try withDaemon(replying: ok(statusResult)) { daemon, _ in
            let result = try Sitbreakctl.run(["status", "--socket", daemon.path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stderr.isEmpty)
            #expect(daemon.received == [#"{"id":1,"cmd":"status"}"#])
            #expect(result.stdout == statusSummary)
        }
    }

    @Test("status follows TZ for the times it prints")
    func statusLocalTime() throws {
        try withDaemon(replying: ok(statusResult)) { daemon, _ in
            let result = try Sitbreakctl.run(["status", "--socket", daemon.path], tz: "Europe/Berlin")
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("next reminder: posture at 2030-11-30 10:56\n"), "\(result.stdout)")
            #expect(result.stdout.contains("stretch  sitting 34m of 2h · 10m break · next at 2030-11-30 12:36\n"))
        }
    }

    @Test("status: times of today print without their date; a pause and absence show")
    func statusToday() throws {
        let now = Int(Date().timeIntervalSince1970)
        let later = now + 60
        let text = Self.rfc3339(later)
        let clock = String(text.dropFirst(11).prefix(5))
        let paused = statusResult.replacingOccurrences(of: #""present":true"#, with: #""present":false"#)
            .replacingOccurrences(of: #""paused_until":null"#, with: #""paused_until":"\#(text)""#)
        try withDaemon(replying: ok(paused)) { daemon, _ in
            let result = try Sitbreakctl.run(["status", "--socket", daemon.path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.first == "away · sitting since 09:10 · posture at 09:56")
            // Only if the clock passed midnight between here and the run would the date appear.
            let crossedMidnight = Self.rfc3339(Int(Date().timeIntervalSince1970)).prefix(10) != text.prefix(10)
            #expect(crossedMidnight || lines.dropFirst().first.map(String.init) == "reminders: paused until \(clock)")
        }
    }

    @Test("status --json prints the result as the daemon sent it")
    func statusJSON() throws {
        try withDaemon(replying: ok(statusResult)) { daemon, _ in
            let result = try Sitbreakctl.run(["--socket", daemon.path, "status", "--json"])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout == statusResult + "\n")
        }
    }

    @Test(
        "each command sends exactly this request and prints its events",
        // `snooze` of every kind asks for the kinds, then snoozes each: RealDaemonTests covers it.
        arguments: [
            (["snooze", "walk"], #"{"id":1,"cmd":"snooze","kind":"walk"}"#),
            (["snooze", "walk", "20m"], #"{"id":1,"cmd":"snooze","kind":"walk","duration":1200}"#),
            (["skip", "stretch"], #"{"id":1,"cmd":"skip","kind":"stretch"}"#),
            (["done", "walk"], #"{"id":1,"cmd":"done","kind":"walk"}"#),
            (["pause"], #"{"id":1,"cmd":"pause"}"#),
            (["pause", "2h"], #"{"id":1,"cmd":"pause","duration":7200}"#),
            (["resume"], #"{"id":1,"cmd":"resume-reminders"}"#),
            (["presence", "idle"], #"{"id":1,"cmd":"presence","state":"idle"}"#),
            (["presence", "uninhibit"], #"{"id":1,"cmd":"presence","state":"uninhibit"}"#),
        ])
    func requests(arguments: [String], request: String) throws {
        try withDaemon(replying: events(snoozedWalk)) { daemon, _ in
            let result = try Sitbreakctl.run(arguments + ["--socket", daemon.path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(daemon.received == [request])
            #expect(result.stdout == "snoozed: walk until 2030-11-30 10:40\n")
        }
    }

    @Test(
        "events read as sentences",
        arguments: [
            (
                #"{"time":"2030-11-30T10:30:00Z","event":"reminder","kind":"walk","nag":1,"sitting_s":3300,"covers":["posture"],"message":"Time for a walk.","suggestion":"Fetch some water."}"#,
                "reminder: walk (sitting 55m, nag 1, also posture): Time for a walk. Fetch some water."
            ),
            (
                #"{"time":"2030-11-30T10:30:00Z","event":"break_taken","kind":"walk","natural":false,"manual":true,"away_s":0}"#,
                "break taken: walk (marked done, away 0s)"
            ),
            (
                #"{"time":"2030-11-30T10:30:00Z","event":"break_taken","kind":"walk","natural":true,"manual":false,"away_s":320}"#,
                "break taken: walk (on your own, away 5m20s)"
            ),
            (#"{"time":"2030-11-30T10:30:00Z","event":"skipped","kind":"stretch"}"#, "skipped: stretch"),
            (
                #"{"time":"2030-11-30T10:30:00Z","event":"paused","until":"2030-11-30T12:30:00Z"}"#,
                "paused until 2030-11-30 12:30"
            ),
            (#"{"time":"2030-11-30T10:30:00Z","event":"resumed"}"#, "resumed"),
            (
                #"{"time":"2030-11-30T10:30:00Z","event":"away","since":"2030-11-30T10:28:00Z"}"#,
                "away since 2030-11-30 10:28"
            ),
            (#"{"time":"2030-11-30T10:30:00Z","event":"back","away_s":300}"#, "back after 5m"),
            (
                #"{"time":"2030-11-30T10:30:00Z","event":"daily_limit","sitting_s":28800}"#,
                "daily limit reached: sitting 8h today"
            ),
        ])
    func eventSentences(event: String, sentence: String) throws {
        try withDaemon(replying: events(event)) { daemon, _ in
            let result = try Sitbreakctl.run(["presence", "active", "--socket", daemon.path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout == sentence + "\n")
        }
    }

    @Test("a command that produced no events prints nothing")
    func noEvents() throws {
        try withDaemon(replying: ok(#"{"events":[]}"#)) { daemon, _ in
            let result = try Sitbreakctl.run(["presence", "active", "--socket", daemon.path])
            #expect(result.status == 0)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.isEmpty)
        }
    }

    @Test("reload prints the file it read")
    func reload() throws {
        try withDaemon(replying: ok(#"{"config":"/home/me/.config/sitbreak/config.toml"}"#)) { daemon, _ in
            let result = try Sitbreakctl.run(["reload", "--socket", daemon.path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(daemon.received == [#"{"id":1,"cmd":"reload"}"#])
            #expect(result.stdout == "reloaded: /home/me/.config/sitbreak/config.toml\n")
        }
    }

    @Test("version: both ends")
    func version() throws {
        try withDaemon(replying: ok(#"{"protocol":1,"version":"0.1.0"}"#)) { daemon, _ in
            let result = try Sitbreakctl.run(["version", "--socket", daemon.path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(daemon.received == [#"{"id":1,"cmd":"version"}"#])
            #expect(result.stdout == "sitbreakctl 0.1.0 (protocol 1)\nsitbreakd 0.1.0 (protocol 1)\n")
        }
    }

    @Test("version without a daemon: the client's part, and exit 0")
    func versionAlone() throws {
        let dir = try TemporaryDirectory(prefix: "sbctl")
        defer { dir.remove() }
        let result = try Sitbreakctl.run(["version", "--socket", dir.path + "/none.sock"])
        #expect(result.status == 0)
        #expect(
            result.stdout == "sitbreakctl 0.1.0 (protocol 1)\n"
                + "sitbreakd: not reachable: cannot reach sitbreakd at \(dir.path)/none.sock (No such file or directory)\n"
        )
    }

    @Test("the default socket is $XDG_RUNTIME_DIR/sitbreak/control.sock")
    func defaultPath() throws {
        let dir = try TemporaryDirectory(prefix: "sbctl")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/sitbreak", withIntermediateDirectories: true)
        let daemon = try FakeDaemon(path: dir.path + "/sitbreak/control.sock") { _ in
            FakeDaemon.Response(lines: [events()])
        }
        defer { daemon.stop() }
        let result = try Sitbreakctl.run(["skip", "walk"], environment: ["XDG_RUNTIME_DIR": dir.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(daemon.received == [#"{"id":1,"cmd":"skip","kind":"walk"}"#])
    }

    @Test("refused: exit 1 with the daemon's reason")
    func refused() throws {
        let reason = "walk was snoozed 2 times since its last break (max_snoozes = 2)"
        try withDaemon(replying: failure("refused", reason)) { daemon, _ in
            let result = try Sitbreakctl.run(["snooze", "walk", "--socket", daemon.path])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "sitbreakctl: sitbreakd refused: \(reason)\n")
        }
    }

    @Test("a reload that fails: exit 1 with why")
    func reloadFailed() throws {
        let message = "/home/me/.config/sitbreak/config.toml:3: every: \\\"50x\\\" is not a duration"
        try withDaemon(replying: failure("reload-failed", message)) { daemon, _ in
            let result = try Sitbreakctl.run(["reload", "--socket", daemon.path])
            #expect(result.status == 1)
            #expect(
                result.stderr
                    == "sitbreakctl: sitbreakd: reload-failed: /home/me/.config/sitbreak/config.toml:3: every: \"50x\" is not a duration\n"
            )
        }
    }

    @Test(
        "usage errors exit 64 and never reach the daemon",
        arguments: [
            ["snooze", "walk", "10x"], ["snooze", "10"], ["snooze", "walk", "0s"], ["pause", "off"], ["pause", "soon"],
            ["presence", "sleepy"], ["skip"], ["done"], ["status", "extra"], ["snooze", "walk", "10m", "more"],
        ])
    func usage(arguments: [String]) throws {
        try withDaemon(replying: events()) { daemon, _ in
            let result = try Sitbreakctl.run(arguments + ["--socket", daemon.path])
            #expect(result.status == 64, "stdout: \(result.stdout)")
            #expect(result.stdout.isEmpty)
            #expect(!result.stderr.isEmpty)
            #expect(daemon.connectionCount == 0)
        }
    }

    @Test("a duration without a unit says how to write it")
    func bareNumber() throws {
        let result = try Sitbreakctl.run(["snooze", "10", "--socket", "/nonexistent"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: duration: \"10\" has no unit; write 10m or 10s\n"))
    }

    @Test("no daemon: exit 69 with the path, the reason and how to start it")
    func notReachable() throws {
        let dir = try TemporaryDirectory(prefix: "sbctl")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/sitbreak", withIntermediateDirectories: true)
        for arguments in [["status"], ["snooze"], ["watch"], ["watch", "--waybar"], ["reload"], ["presence", "lock"]] {
            let result = try Sitbreakctl.run(arguments, environment: ["XDG_RUNTIME_DIR": dir.path])
            #expect(result.status == 69, "\(arguments)")
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr
                    == "sitbreakctl: cannot reach sitbreakd at \(dir.path)/sitbreak/control.sock (No such file or directory); "
                    + "sitbreakd is not installed as a user service here (no sitbreakd.socket in "
                    + "~/.config/systemd/user or /usr/lib/systemd/user); install it (make install, or the "
                    + "Debian package) or run sitbreakd yourself (the daemon of make run answers make ctl "
                    + "ARGS=… in its checkout)\n")
        }
    }

    @Test("no daemon but its socket unit installed: the hint starts the unit")
    func notReachableWithUnitInstalled() throws {
        let dir = try TemporaryDirectory(prefix: "sbctl")
        defer { dir.remove() }
        try FileManager.default.createDirectory(
            atPath: dir.path + "/config/systemd/user", withIntermediateDirectories: true)
        _ = try dir.write("config/systemd/user/sitbreakd.socket", "[Socket]\n")
        let result = try Sitbreakctl.run(
            ["status"], environment: ["XDG_RUNTIME_DIR": dir.path, "XDG_CONFIG_HOME": dir.path + "/config"])
        #expect(result.status == 69)
        #expect(
            result.stderr.hasSuffix("; start it with: systemctl --user start sitbreakd.socket\n"), "\(result.stderr)")
    }

    @Test("a socket file nobody listens on: connection refused, exit 69")
    func staleSocket() throws {
        let dir = try TemporaryDirectory(prefix: "sbctl")
        defer { dir.remove() }
        // A socket file left behind by a crash: bound once, nobody listening.
        let stale = dir.path + "/stale.sock"
        let listener = FileDescriptor(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0))
        #expect(try UnixSocketAddress(stale).bind(listener.rawValue) == 0)
        listener.close()
        let result = try Sitbreakctl.run(["status", "--socket", stale])
        #expect(result.status == 69)
        #expect(
            result.stderr.hasPrefix(
                "sitbreakctl: cannot reach sitbreakd at \(stale) (Connection refused); sitbreakd is not installed"))
    }

    @Test("no XDG_RUNTIME_DIR and no --socket: exit 69 naming the variable")
    func noRuntimeDirectory() throws {
        let result = try Sitbreakctl.run(["status"])
        #expect(result.status == 69)
        #expect(
            result.stderr
                == "sitbreakctl: XDG_RUNTIME_DIR is not set, so the daemon's socket cannot be found; "
                + "set it or pass --socket PATH\n")
    }

    @Test("turned away at connect (too many clients): exit 69 with the daemon's words")
    func tooManyClients() throws {
        let refusal =
            #"{"id":null,"ok":false,"error":{"code":"too-many-clients","message":"sitbreakd serves at most 64 clients"}}"#
        try withDaemon(onConnect: FakeDaemon.Response(lines: [refusal], close: true)) { daemon, _ in
            let result = try Sitbreakctl.run(["status", "--socket", daemon.path])
            #expect(result.status == 69)
            #expect(result.stderr == "sitbreakctl: sitbreakd: too-many-clients: sitbreakd serves at most 64 clients\n")
        }
    }

    @Test(
        "a reply that is not the protocol: exit 70",
        arguments: [
            (
                "this is not json",
                "sitbreakd sent a malformed reply: invalid JSON at byte 0: unexpected character: this is not json"
            ),
            (
                #"{"id":1,"ok":"yes"}"#,
                #"sitbreakd sent a malformed reply: a reply has "ok": true or false: {"id":1,"ok":"yes"}"#
            ),
            (
                #"{"id":7,"ok":true,"result":{"events":[]}}"#,
                "sitbreakd sent a malformed reply: a reply to id 7, expected 1"
            ),
            (
                #"{"id":1,"ok":true,"result":{"kinds":[]}}"#,
                #"sitbreakd sent a malformed reply: status: "protocol" must be an integer"#
            ),
            (
                #"{"id":1,"ok":false,"error":{"code":"unknown-command","message":"unknown command \"status\""}}"#,
                #"sitbreakd: unknown-command: unknown command "status""#
            ),
        ])
    func garbage(reply: String, message: String) throws {
        try withDaemon(replying: reply) { daemon, _ in
            let result = try Sitbreakctl.run(["status", "--socket", daemon.path])
            #expect(result.status == 70)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "sitbreakctl: \(message)\n")
        }
    }

    @Test("a command result without events: exit 70")
    func resultWithoutEvents() throws {
        try withDaemon(replying: ok(#"{"subscribed":true}"#)) { daemon, _ in
            let result = try Sitbreakctl.run(["skip", "walk", "--socket", daemon.path])
            #expect(result.status == 70)
            #expect(
                result.stderr
                    == #"sitbreakctl: sitbreakd sent a malformed reply: the result has no "events" list: {"subscribed":true}"#
                    + "\n")
        }
    }

    @Test("the daemon hangs up without replying: exit 70")
    func hangUp() throws {
        let respond: @Sendable (String) -> FakeDaemon.Response = { _ in FakeDaemon.Response(lines: [], close: true) }
        try withDaemon(respond: respond) { daemon, _ in
            let result = try Sitbreakctl.run(["status", "--socket", daemon.path])
            #expect(result.status == 70)
            #expect(result.stderr == "sitbreakctl: sitbreakd closed the connection without replying\n")
        }
    }

    @Test("a reply split across two writes")
    func partialReply() throws {
        // The reply arrives in two writes 100 ms apart, cut inside a string.
        let respond: @Sendable (String) -> FakeDaemon.Response = { _ in
            FakeDaemon.Response(lines: [events(snoozedWalk)], splitAt: 30)
        }
        try withDaemon(respond: respond) { daemon, _ in
            let result = try Sitbreakctl.run(["resume", "--socket", daemon.path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout == "snoozed: walk until 2030-11-30 10:40\n")
        }
    }

    @Test("no reply within 5 s: exit 69", .timeLimit(.minutes(1)))
    func timeout() throws {
        let respond: @Sendable (String) -> FakeDaemon.Response = { _ in FakeDaemon.Response(lines: []) }
        try withDaemon(respond: respond) { daemon, _ in
            let result = try Sitbreakctl.run(["status", "--socket", daemon.path])
            #expect(result.status == 69)
            #expect(result.stderr == "sitbreakctl: sitbreakd did not reply within 5 s\n")
        }
    }

    private static let streamLines = [
        ok(#"{"subscribed":true}"#),
        #"{"time":"2030-11-30T09:00:00Z","event":"state","#
            + statusResult.dropFirst(),
        #"{"time":"2030-11-30T09:50:00Z","event":"reminder","kind":"walk","nag":0,"sitting_s":3000,"covers":[],"message":"Stand up.","suggestion":""}"#,
        #"{"time":"2030-11-30T09:52:05Z","event":"away","since":"2030-11-30T09:50:05Z"}"#,
    ]

    @Test("watch: subscribes, prints each event with its local time, ends at EOF with 0")
    func watch() throws {
        let respond: @Sendable (String) -> FakeDaemon.Response = { _ in
            FakeDaemon.Response(lines: Self.streamLines, close: true)
        }
        try withDaemon(respond: respond) { daemon, _ in
            let result = try Sitbreakctl.run(["watch", "--socket", daemon.path], tz: "Europe/Berlin")
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(daemon.received == [#"{"id":1,"cmd":"subscribe"}"#])
            #expect(
                result.stdout == """
                    2030-11-30 10:00:00  state: present · sitting since 09:10 · posture at 09:56
                    2030-11-30 10:50:00  reminder: walk (sitting 50m): Stand up.
                    2030-11-30 10:52:05  away since 2030-11-30 10:50

                    """)
        }
    }

    @Test("watch --json: the lines as the daemon sent them")
    func watchJSON() throws {
        let respond: @Sendable (String) -> FakeDaemon.Response = { _ in
            FakeDaemon.Response(lines: Self.streamLines, close: true)
        }
        try withDaemon(respond: respond) { daemon, _ in
            let result = try Sitbreakctl.run(["watch", "--json", "--socket", daemon.path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout == Self.streamLines.dropFirst().map { $0 + "\n" }.joined())
        }
    }

    @Test("watch ends on SIGINT with 0, having printed what came", .timeLimit(.minutes(1)))
    func watchInterrupted() throws {
        let binary = try #require(Sitbreakctl.path)
        let respond: @Sendable (String) -> FakeDaemon.Response = { _ in
            FakeDaemon.Response(lines: Array(Self.streamLines.prefix(3)))
        }
        try withDaemon(respond: respond) { daemon, dir in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["watch", "--json", "--socket", daemon.path]
            process.environment = ["TZ": "UTC", "PATH": "/usr/bin:/bin"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until it subscribed (its handler is installed before it connects), then for
            // the events to arrive, then interrupt it as Ctrl-C would.
            var waited = 0
            while daemon.received.isEmpty && waited < 10_000 {
                usleep(10_000)
                waited += 10
            }
            #expect(daemon.received == [#"{"id":1,"cmd":"subscribe"}"#])
            usleep(200_000)
            process.interrupt()
            // Bounded: a watch that ignores SIGINT must fail this test, not hang the suite.
            var left = 10_000
            while process.isRunning && left > 0 {
                usleep(10_000)
                left -= 10
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                Issue.record("watch did not end within 10 s of SIGINT")
            }
            process.waitUntilExit()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
            #expect(printed == Self.streamLines.dropFirst().prefix(2).map { $0 + "\n" }.joined())
        }
    }

    @Test(
        "help for each daemon command: abstract, examples, exit codes, --socket",
        arguments: ["status", "snooze", "skip", "done", "pause", "resume", "watch", "reload", "presence", "version"])
    func help(command: String) throws {
        let result = try Sitbreakctl.run(["help", command])
        #expect(result.status == 0)
        for fragment in ["OVERVIEW:", "Examples:", "Exit status:", "69", "70", "--socket <path>"] {
            #expect(result.stdout.contains(fragment), "\(command) help lacks \(fragment)")
        }
    }

    @Test("completion scripts name the daemon commands", arguments: ["bash", "zsh", "fish"])
    func completion(shell: String) throws {
        let result = try Sitbreakctl.run(["--generate-completion-script", shell])
        #expect(result.status == 0)
        for word in ["status", "snooze", "watch", "presence", "uninhibit", "socket"] {
            #expect(result.stdout.contains(word), "\(shell) completion lacks \(word)")
        }
    }

    static func rfc3339(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
