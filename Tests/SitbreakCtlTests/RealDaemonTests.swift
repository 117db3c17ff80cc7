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

        let status = try ctl(daemon, ["status"])
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
        #expect(try ctl(daemon, ["snooze", "walk", "0s"]).status == 64)

        // After all that, the daemon's state says what the commands did.
        let after = try LineSocket.object(
            try ctl(daemon, ["status", "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let walk = (after["kinds"] as? [[String: Any]])?.first { $0["name"] as? String == "walk" }
        #expect(walk?["snoozes"] as? Int == 0)  // `done` reset it
        #expect(after["paused_until"] is NSNull)

        daemon.signal(SIGTERM)
        let gone = try ctl(daemon, ["status"])
        #expect(gone.status == 69)
        #expect(gone.stderr.contains("systemctl --user start sitbreakd.socket"))
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
