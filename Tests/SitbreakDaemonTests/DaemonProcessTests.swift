import Foundation
import SitbreakTesting
import Testing

/// The real `sitbreakd` binary: signals, crashes, socket activation, other users.
@Suite struct DaemonProcessTests {
    static let quiet = InProcessDaemon.quietConfig

    func status(_ daemon: DaemonProcess) throws -> [String: Any] {
        try #require(try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)["result"] as? [String: Any])
    }

    func kind(_ status: [String: Any], _ name: String) throws -> [String: Any] {
        try #require((status["kinds"] as? [[String: Any]])?.first { $0["name"] as? String == name })
    }

    @Test func killNineKeepsSnoozePauseAndSittingTime() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        try daemon.start()
        let client = try daemon.connect()
        _ = try client.request(#"{"id":1,"cmd":"snooze","kind":"walk","duration":"30m"}"#)
        _ = try client.request(#"{"id":2,"cmd":"pause","duration":"1h"}"#)
        sleep(2)
        let before = try status(daemon)
        let walkBefore = try kind(before, "walk")
        daemon.signal(SIGKILL)

        try daemon.start()
        let after = try status(daemon)
        let walkAfter = try kind(after, "walk")
        #expect(after["paused_until"] as? String == before["paused_until"] as? String)
        #expect(after["paused_until"] is String)
        #expect(walkAfter["snoozed_until"] as? String == walkBefore["snoozed_until"] as? String)
        #expect(walkAfter["snoozes"] as? Int == 1)
        // Sitting continued across the kill (a crash in the same boot proves no absence), and a
        // few seconds down is no break.
        let sittingBefore = try #require(walkBefore["sitting_s"] as? Int)
        let sittingAfter = try #require(walkAfter["sitting_s"] as? Int)
        #expect(sittingAfter >= sittingBefore - 3)
        #expect(sittingAfter >= 0)
        #expect(!daemon.stderr.contains("break_taken"))
    }

    @Test func watchdogPingsSaveAHeartbeat() throws {
        // The heartbeat records the last instant the daemon was known to run, one ping interval
        // old at most, without a wake-up of its own.
        let daemon = try DaemonProcess(config: Self.quiet)
        try daemon.start(environment: ["WATCHDOG_USEC": "2000000"])
        let path = daemon.directory.path + "/state/sitbreak/alive"
        func savedNow() throws -> Int {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), "alive holds \(text)")
        }
        let first = try savedNow()
        Thread.sleep(forTimeInterval: 3.2)
        #expect(try savedNow() >= first + 2)
    }

    @Test func sigtermSavesStateAndRemovesTheSocket() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        try daemon.start()
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(daemon.signal(SIGTERM) == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(FileManager.default.fileExists(atPath: daemon.directory.path + "/state/sitbreak/state.json"))
    }

    @Test func sighupReloadsAndABadFileKeepsTheRunningConfiguration() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        try daemon.start()
        try "[breaks.stretch]\nevery = \"2h\"\nduration = \"10m\"\n".write(
            toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP, wait: false)
        var names: [String] = []
        for _ in 0..<100 {
            names = ((try status(daemon)["kinds"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
            if names == ["stretch"] { break }
            usleep(50_000)
        }
        #expect(names == ["stretch"])
        try "[breaks.stretch]\nevery = \"2 h\"\n".write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP, wait: false)
        usleep(500_000)
        #expect(((try status(daemon)["kinds"] as? [[String: Any]]) ?? []).count == 1)
        #expect(daemon.stderr.contains("reload failed, keeping the running configuration"))
    }

    @Test(.tags(.fixture, .systemdTools), .needs(.systemdTools)) func startsFromSocketActivation() throws {
        let activate = "/usr/bin/systemd-socket-activate"
        try #require(
            FileManager.default.isExecutableFile(atPath: activate),
            "systemd-socket-activate is missing: apt-get install systemd")
        let daemon = try DaemonProcess(config: Self.quiet)
        try FileManager.default.createDirectory(
            atPath: daemon.runtimeDirectory + "/sitbreak", withIntermediateDirectories: true)
        // systemd-socket-activate passes on only the variables named with -E.
        try daemon.start(
            wrapper: [activate, "-l", daemon.socketPath, "-E", "XDG_STATE_HOME", "-E", "HOME", "-E", "TZ"],
            waitForSocket: false)
        // The first connection makes systemd-socket-activate start sitbreakd with the socket.
        try daemon.waitUntilAnswering()
        let result = try status(daemon)
        #expect(result["present"] as? Bool == true)
        #expect(daemon.stderr.contains("listening on a socket passed by systemd"))
    }

    @Test(.tags(.fixture, .otherUser), .needs(.otherUser)) func aClientOfAnotherUserIsRefused() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        try daemon.start()
        // Open the file permissions so that only the daemon's own check stands in the way.
        chmod(daemon.directory.path, 0o755)
        chmod(daemon.runtimeDirectory, 0o755)
        chmod(daemon.runtimeDirectory + "/sitbreak", 0o755)
        chmod(daemon.socketPath, 0o777)
        let script = """
            import socket,sys
            s=socket.socket(socket.AF_UNIX)
            s.connect(sys.argv[1])
            try:
                s.sendall(b'{"id":1,"cmd":"status"}\\n')
            except OSError:
                pass  # the daemon may already have refused and closed
            print(s.makefile().readline().strip())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = [
            "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, daemon.socketPath,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let reply = try LineSocket.object(output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect((reply["error"] as? [String: Any])?["code"] as? String == "permission-denied")
        #expect(try daemon.connect().request(#"{"id":2,"cmd":"version"}"#)["ok"] as? Bool == true)
    }
}
