import Foundation
import SitbreakTesting
import Testing

/// The real `sitbreakd` killed with SIGKILL at the moment that matters, and hostile state files
/// (issue 9, items 1–4 and the state-file half of item 10).
@Suite struct CrashSafetyTests {
    /// A walk whose break is 2 s, after a 1 s idle threshold: a downtime counted as time away
    /// shows within seconds as a `break_taken`.
    static let shortWalkBreak = """
        idle_threshold = "1s"
        [breaks.walk]
        every = "50m"
        duration = "2s"
        """

    func status(_ daemon: DaemonProcess) throws -> [String: Any] {
        try #require(try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)["result"] as? [String: Any])
    }

    func kind(_ status: [String: Any], _ name: String) throws -> [String: Any] {
        try #require((status["kinds"] as? [[String: Any]])?.first { $0["name"] as? String == name })
    }

    func stateDirectory(_ daemon: DaemonProcess) -> String { daemon.directory.path + "/state/sitbreak" }

    /// How often a log line containing `text` appears in the daemon's stderr.
    func count(_ text: String, in daemon: DaemonProcess) -> Int {
        daemon.stderr.components(separatedBy: "\n").filter { $0.contains(text) }.count
    }

    // MARK: - Acknowledged commands, reminders, quiet time (items 1–3)

    @Test func anAcknowledgedCommandSurvivesAKillRightAfterItsReply() throws {
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        try daemon.start()
        for attempt in 0..<5 {
            let client = try daemon.connect()
            let reply = try client.request(#"{"id":1,"cmd":"pause","duration":\#(600 + attempt * 60)}"#)
            let events = try #require((reply["result"] as? [String: Any])?["events"] as? [[String: Any]])
            let until = try #require(events.first { $0["event"] as? String == "paused" }?["until"] as? String)
            daemon.signal(SIGKILL)
            try daemon.start()
            #expect(try status(daemon)["paused_until"] as? String == until, "attempt \(attempt)")
        }
    }

    @Test func aReminderKilledOnDeliveryIsNotDeliveredAgain() throws {
        // The first walk reminder comes at 2 s of sitting; its nag only after a minute.
        let daemon = try DaemonProcess(
            config: """
                [breaks.walk]
                every = "2s"
                duration = "1s"
                renotify = "1m"
                """)
        try daemon.start()
        let subscriber = try daemon.connect()
        try subscriber.send(#"{"id":1,"cmd":"subscribe"}"#)
        _ = try daemon.connect().request(#"{"id":2,"cmd":"presence","state":"active"}"#)
        let reminder = subscriber.waitForLine(timeout: 10) { $0.contains(#""event":"reminder""#) }
        daemon.signal(SIGKILL)
        try #require(reminder != nil, "no reminder within 10 s: \(daemon.stderr)")
        try daemon.start()
        // Well before sitting reaches the next multiple of `every` (4 s): a reminder now would be
        // the same one again. (stderr holds this run's lines only.)
        Thread.sleep(forTimeInterval: 0.7)
        #expect(count("reminder walk", in: daemon) == 0, "\(daemon.stderr)")
        #expect(try kind(status(daemon), "walk")["due"] as? Bool == true)
    }

    @Test func quietTimeBeforeAKillIsNotTimeAway() throws {
        // The daemon saves nothing while nothing changes; the seconds since the last save are no
        // proof that the daemon was down, so they are no absence.
        let daemon = try DaemonProcess(config: Self.shortWalkBreak)
        try daemon.start()
        _ = try daemon.connect().request(#"{"id":1,"cmd":"presence","state":"active"}"#)
        Thread.sleep(forTimeInterval: 4)
        let before = try #require(try kind(status(daemon), "walk")["sitting_s"] as? Int)
        daemon.signal(SIGKILL)
        try daemon.start()
        let after = try #require(try kind(status(daemon), "walk")["sitting_s"] as? Int)
        #expect(!daemon.stderr.contains("break_taken"), "\(daemon.stderr)")
        #expect(after >= before, "sitting went on: \(before) s before the kill, \(after) s after")
        #expect(daemon.stderr.contains("after a crash"))
    }

    @Test func aRestartShorterThanTheIdleThresholdChangesNothing() throws {
        // posture is a nudge (duration 0): any absence at all would reset it.
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        try daemon.start()
        _ = try daemon.connect().request(#"{"id":1,"cmd":"presence","state":"active"}"#)
        Thread.sleep(forTimeInterval: 3)
        let before = try #require(try kind(status(daemon), "posture")["sitting_s"] as? Int)
        #expect(before >= 2)
        #expect(daemon.signal(SIGTERM) == 0)
        try daemon.start()
        let after = try #require(try kind(status(daemon), "posture")["sitting_s"] as? Int)
        #expect(after >= before, "posture went from \(before) s to \(after) s")
        #expect(!daemon.stderr.contains("break_taken"))
        #expect(daemon.stderr.contains("after a clean stop; no absence counted"))
    }

    @Test func aCleanStopLongerThanTheIdleThresholdIsTimeAway() throws {
        let daemon = try DaemonProcess(config: Self.shortWalkBreak)
        try daemon.start()
        _ = try daemon.connect().request(#"{"id":1,"cmd":"presence","state":"active"}"#)
        #expect(daemon.signal(SIGTERM) == 0)
        Thread.sleep(forTimeInterval: 3.5)
        try daemon.start()
        #expect(daemon.stderr.contains("break_taken walk"), "\(daemon.stderr)")
    }

    // MARK: - Hostile state files (item 4, item 10)

    static let extremeStates: [(String, String)] = [
        (
            "a huge banked",
            #""kinds":[{"name":"walk","banked":9223372036854775807,"running_since":null,"reset_at":0,"multiples_reached":0,"snooze_count":0,"reminders_emitted":0}]"#
        ),
        ("an instant past 2262", #""paused_until":9223372036854775000"#),
        (
            "a snooze whose nanoseconds overflow",
            #""kinds":[{"name":"walk","banked":0,"running_since":null,"reset_at":0,"multiples_reached":0,"snoozed_until":10000000000,"snooze_count":1,"reminders_emitted":0}]"#
        ),
        (
            "a negative count",
            #""kinds":[{"name":"walk","banked":0,"running_since":null,"reset_at":0,"multiples_reached":-1,"snooze_count":0,"reminders_emitted":0}]"#
        ),
        (
            "a series nag past Int32",
            #""kinds":[{"name":"walk","banked":0,"running_since":null,"reset_at":0,"multiples_reached":0,"series_next_nag":9223372036854775807,"series_not_before":0,"snooze_count":0,"reminders_emitted":0}]"#
        ),
    ]

    /// A valid state file of one run, with `override` (`"member":value`) replacing its member.
    static func stateFile(_ override: String) -> String {
        let now = Int(Date().timeIntervalSince1970)
        var members: [(String, String)] = [
            ("format", "1"), ("now", "\(now)"), ("settle_at_now", "false"), ("input_ongoing", "true"),
            ("last_input", "\(now)"), ("locked", "false"), ("suspended_at", "null"),
            ("suspension_absence_start", "null"), ("inhibited", "false"), ("inhibitor_released_at", "0"),
            ("absence_start", "null"), ("present_since", "\(now)"), ("absence_silent", "false"),
            ("paused_until", "null"), ("day", "null"), ("kinds", "[]"),
        ]
        let name = String(override.dropFirst().prefix { $0 != "\"" })
        let value = String(override.drop { $0 != ":" }.dropFirst())
        if let index = members.firstIndex(where: { $0.0 == name }) { members[index].1 = value }
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}\n"
    }

    @Test(arguments: extremeStates)
    func aStateFileWithAnExtremeValueIsSetAside(_ name: String, _ member: String) throws {
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        let directory = stateDirectory(daemon)
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Self.stateFile(member).write(toFile: directory + "/state.json", atomically: true, encoding: .utf8)
        try daemon.start()
        #expect(try status(daemon)["paused_until"] is NSNull, "\(name)")
        #expect(FileManager.default.fileExists(atPath: directory + "/state.json.corrupt"), "\(name)")
        #expect(daemon.stderr.contains("kept it as"), "\(name): \(daemon.stderr)")
        // The next start finds the fresh file, not the bad one again (stderr holds this run's lines).
        daemon.signal(SIGKILL)
        try daemon.start()
        #expect(count("could not be read", in: daemon) == 0, "\(daemon.stderr)")
    }

    @Test func theUnchangedStateFileTemplateIsRead() throws {
        // The template of the test above is a valid file: only the override makes it bad.
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        let directory = stateDirectory(daemon)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o700)
        let until = Int(Date().timeIntervalSince1970) + 3600
        try Self.stateFile(#""paused_until":\#(until)"#).write(
            toFile: directory + "/state.json", atomically: true, encoding: .utf8)
        try daemon.start()
        #expect(try status(daemon)["paused_until"] is String)
        #expect(!FileManager.default.fileExists(atPath: directory + "/state.json.corrupt"))
    }

    @Test func aFIFOAtStateJSONDoesNotHangTheStart() throws {
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        let directory = stateDirectory(daemon)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o700)
        #expect(mkfifo(directory + "/state.json", 0o600) == 0)
        try daemon.start()
        #expect(daemon.stderr.contains("not a regular file"))
        var info = stat()
        #expect(lstat(directory + "/state.json", &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
    }

    @Test func plantedLinksAreNeverWrittenThrough() throws {
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        let directory = stateDirectory(daemon)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o700)
        let targets = ["state.json.tmp", "alive", "state.json"].map { daemon.directory.path + "/target-" + $0 }
        for (name, target) in zip(["state.json.tmp", "alive", "state.json"], targets) {
            try "untouched\n".write(toFile: target, atomically: true, encoding: .utf8)
            #expect(symlink(target, directory + "/" + name) == 0)
        }
        try daemon.start()
        _ = try daemon.connect().request(#"{"id":1,"cmd":"pause"}"#)
        #expect(daemon.signal(SIGTERM) == 0)
        for target in targets {
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "untouched\n", "\(target)")
        }
        #expect(daemon.stderr.contains("no heartbeat"))
        #expect(daemon.stderr.contains("state saved"))
    }

    @Test func aStateDirectoryDeletedWhileRunningIsCreatedAgain() throws {
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        try daemon.start()
        try FileManager.default.removeItem(atPath: stateDirectory(daemon))
        _ = try daemon.connect().request(#"{"id":1,"cmd":"pause","duration":600}"#)
        #expect(FileManager.default.fileExists(atPath: stateDirectory(daemon) + "/state.json"))
        #expect(daemon.signal(SIGTERM) == 0)
        #expect(daemon.stderr.contains("state saved"))
        #expect(!daemon.stderr.contains("could not save"))
    }

    @Test func aStopThatCannotSaveDoesNotSayItSaved() throws {
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        try daemon.start()
        // A regular file where the directory was: neither it nor the state file can be created.
        try FileManager.default.removeItem(atPath: stateDirectory(daemon))
        try "not a directory\n".write(toFile: stateDirectory(daemon), atomically: true, encoding: .utf8)
        #expect(daemon.signal(SIGTERM) == 0)
        #expect(!daemon.stderr.contains("state saved"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("could NOT be saved"))
    }

    @Test(arguments: [("another user's", 65534 as UInt32, 0o700 as UInt16), ("a world-writable", 0, 0o777)])
    func anUnsafeStateDirectoryIsRefused(_ name: String, _ owner: UInt32, _ mode: UInt16) throws {
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        let directory = stateDirectory(daemon)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(chown(directory, owner == 0 ? geteuid() : owner, owner == 0 ? getegid() : owner) == 0)
        #expect(chmod(directory, mode_t(mode)) == 0)
        try daemon.start(waitForSocket: false)
        daemon.process?.waitUntilExit()
        #expect(daemon.process?.terminationStatus != 0, "\(name)")
        #expect(
            daemon.stderr.contains("belongs to user") || daemon.stderr.contains("writable by others"),
            "\(name): \(daemon.stderr)")
    }
}
