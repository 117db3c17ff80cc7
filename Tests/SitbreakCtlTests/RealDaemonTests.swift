import Foundation
import SitbreakTesting
import Testing

/// `sitbreakctl` against the real `sitbreakd`: each subcommand and each exit status.
@Suite("sitbreakctl against sitbreakd")
struct RealDaemonTests {
    static let config = DaemonConfigs.quiet

    func ctl(_ daemon: DaemonProcess, _ arguments: [String]) throws -> Sitbreakctl.Result {
        try Sitbreakctl.run(arguments, environment: ["XDG_RUNTIME_DIR": daemon.runtimeDirectory])
    }

    @Test func everySubcommandAndItsExitStatus() throws {
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start()

        let status = try ctl(daemon, ["status", "-v"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("sitting since"))
        #expect(status.stdout.contains("walk") && status.stdout.contains("posture"))
        // Every presence chain, the source in use and why the others are not.
        #expect(status.stdout.contains("\npresence:\n"))
        #expect(status.stdout.contains("\n  idle     always (present whenever nothing else can tell)\n"))
        #expect(status.stdout.contains("not x11: DISPLAY is not set\n"))
        #expect(status.stdout.contains("\n  inhibit  "))

        let json = try ctl(daemon, ["status", "--json"])
        #expect(json.status == 0)
        let object = try LineSocket.object(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(object["present"] as? Bool == true)

        #expect(try ctl(daemon, ["snooze", "walk", "10m"]).stdout.hasPrefix("snoozed: walk until "))
        #expect(try ctl(daemon, ["snooze", "walk"]).status == 0)
        let refused = try ctl(daemon, ["snooze", "walk"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("max_snoozes = 2"))

        #expect(try ctl(daemon, ["skip", "posture"]).status == 0)
        #expect(try ctl(daemon, ["skip", "sit"]).status == 1)
        #expect(try ctl(daemon, ["done", "walk"]).status == 0)
        #expect(try ctl(daemon, ["pause", "30m"]).status == 0)
        #expect(try ctl(daemon, ["resume"]).status == 0)
        #expect(try ctl(daemon, ["resume"]).status == 1)
        #expect(try ctl(daemon, ["presence", "lock"]).stdout.contains("away since"))
        #expect(try ctl(daemon, ["presence", "unlock"]).status == 0)
        #expect(try ctl(daemon, ["reload"]).stdout.contains(daemon.configPath))
        let version = try ctl(daemon, ["version"])
        #expect(version.stdout.contains("sitbreakd 0.1.0 (protocol 1)"))
        // "0s" reads as a duration, as in the configuration, and is refused saying why.
        let zero = try ctl(daemon, ["snooze", "walk", "0s"])
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("duration: 0s is too short"), "\(zero.stderr)")

        // After all that, the daemon's state says what the commands did.
        let after = try LineSocket.object(
            try ctl(daemon, ["status", "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let walk = (after["kinds"] as? [[String: Any]])?.first { $0["name"] as? String == "walk" }
        #expect(walk?["snoozes"] as? Int == 0)  // `done` reset it
        #expect(after["paused_until"] is NSNull)

        daemon.signal(SIGTERM)
        let gone = try ctl(daemon, ["status"])
        #expect(gone.status == 69)
        #expect(gone.stderr.contains("sitbreakd is not installed as a user service here"))
    }

    @Test("snooze of every kind names each refused kind with its reason and exits 1; the others are snoozed")
    func snoozeAllWithOneRefused() throws {
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start()
        #expect(try ctl(daemon, ["snooze", "walk"]).status == 0)
        #expect(try ctl(daemon, ["snooze", "walk"]).status == 0)
        let all = try ctl(daemon, ["snooze"])
        #expect(all.status == 1)
        #expect(all.stdout.hasPrefix("snoozed: posture until "), "\(all.stdout)")
        #expect(!all.stdout.contains("walk"))
        #expect(all.stderr.hasPrefix("sitbreakctl: refused: snooze walk: "), "\(all.stderr)")
        #expect(all.stderr.contains("max_snoozes = 2"))
        let again = try ctl(daemon, ["snooze", "15m"])
        #expect(again.status == 1)
        #expect(again.stderr.split(separator: "\n").count == 1, "only walk is refused: \(again.stderr)")
    }

    @Test("status shows only the presence sources in use; -v also those not in use and why")
    func statusVerbose() throws {
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start()
        let plain = try ctl(daemon, ["status"])
        #expect(!plain.stdout.contains("not x11"), "\(plain.stdout)")
        #expect(plain.stdout.split(separator: "\n").count <= 13, "\(plain.stdout)")
        let verbose = try ctl(daemon, ["status", "-v"])
        #expect(verbose.stdout.contains("not x11: DISPLAY is not set\n"))
    }

    @Test("watch --waybar and --format: one golden line each for a fresh daemon")
    func barFormats() throws {
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start()
        // The daemon started a moment ago: a second boundary may have passed since (a loaded machine).
        let tooltips = ["0s", "1s"].map { #"walk: sitting \#($0) of 50m\nposture: sitting \#($0) of 20m"# }
        let waybar = try ctl(daemon, ["watch", "--waybar", "--once"])
        #expect(waybar.status == 0, "\(waybar.stderr)")
        #expect(
            tooltips.contains {
                waybar.stdout == #"{"text":"posture in 20m","tooltip":"\#($0)","class":"ok","percentage":0}"# + "\n"
            }, "\(waybar.stdout)")
        for (format, line) in [
            ("i3blocks", "posture in 20m"), ("polybar", "posture in 20m"),
            ("tmux", "#[fg=default]posture in 20m#[default]"),
            ("{text} {percentage}% [{class}]", "posture in 20m 0% [ok]"),
        ] {
            let result = try ctl(daemon, ["watch", "--format", format, "--once"])
            #expect(result.stdout == line + "\n", "\(format): \(result.stdout)\(result.stderr)")
        }
        #expect(try ctl(daemon, ["watch", "--once"]).status == 64)
        #expect(try ctl(daemon, ["watch", "--json", "--waybar"]).status == 64)
    }

    @Test("watch --waybar prints a line on a change and nothing in between")
    func waybarOnChange() throws {
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start()
        let binary = try BuiltProducts.require("sitbreakctl")
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: binary)
        watch.arguments = ["watch", "--waybar"]
        watch.environment = ["XDG_RUNTIME_DIR": daemon.runtimeDirectory, "TZ": "UTC", "PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        watch.standardOutput = pipe
        try watch.run()
        defer {
            watch.terminate()
            watch.waitUntilExit()
        }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try ctl(daemon, ["pause", "1h"]).status == 0)
        Thread.sleep(forTimeInterval: 1.5)
        watch.terminate()
        watch.waitUntilExit()
        let lines = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n")
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.last?.contains(#""class":"paused""#) == true, "\(lines)")
    }

    @Test("doctor against a running daemon and a stopped one: a line per check, exit 1 when something fails")
    func doctor() throws {
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start()
        let running = try ctl(daemon, ["doctor"])
        let lines = running.stdout.split(separator: "\n")
        #expect(
            lines.contains { $0.hasPrefix("ok    daemon") && $0.contains("sitbreakd 0.1.0 answers") },
            "\(running.stdout)")
        #expect(
            lines.contains { $0.hasPrefix("warn  presence") && $0.contains("idle from always") }, "\(running.stdout)")
        #expect(lines.contains { $0.hasPrefix("FAIL  units") && $0.contains("not installed") }, "\(running.stdout)")
        #expect(running.status == 1)  // the units are not installed in the test's HOME
        let json = try LineSocket.object(
            try ctl(daemon, ["doctor", "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let checks = (json["checks"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(
            checks == ["daemon", "units", "configuration", "presence", "notifications", "journal", "PATH", "clock"])
        // No session bus in the test's environment: the notification check says so.
        #expect(
            lines.contains { $0.hasPrefix("warn  notifications") && $0.contains("no session bus") }, "\(running.stdout)"
        )
        #expect(json["ok"] as? Bool == false)
        // Run from the build tree (as after `make run`): the hint is to install, never to put the
        // build tree on PATH.
        if Sitbreakctl.path?.contains("/.build") == true {
            #expect(
                lines.contains { $0.hasPrefix("warn  PATH") && $0.contains("runs from the build tree") },
                "\(running.stdout)")
            #expect(running.stdout.contains("→ install them: make install"), "\(running.stdout)")
            #expect(!running.stdout.contains("export PATH="), "\(running.stdout)")
        }

        daemon.signal(SIGTERM)
        let stopped = try ctl(daemon, ["doctor"])
        #expect(stopped.status == 1)
        #expect(
            stopped.stdout.hasPrefix("FAIL  daemon         not reachable: cannot reach sitbreakd"), "\(stopped.stdout)")
    }

    @Test func watchPrintsEventsAsTheyHappen() throws {
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start()
        let binary = try BuiltProducts.require("sitbreakctl")
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: binary)
        watch.arguments = ["watch", "--json"]
        watch.environment = ["XDG_RUNTIME_DIR": daemon.runtimeDirectory, "TZ": "UTC", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        watch.standardOutput = out
        try watch.run()
        Thread.sleep(forTimeInterval: 0.5)
        _ = try ctl(daemon, ["presence", "lock"])
        Thread.sleep(forTimeInterval: 0.5)
        watch.interrupt()
        watch.waitUntilExit()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n")
        #expect(lines.contains { $0.contains(#""event":"away""#) })
        #expect(lines.contains { $0.contains(#""event":"state""#) })
        #expect(watch.terminationStatus == 0)
    }
}
