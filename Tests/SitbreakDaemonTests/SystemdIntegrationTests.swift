import Foundation
import SitbreakEngine
import SitbreakSystemd
import SitbreakTesting
import Testing

/// sitbreakd with real systemd parts: a private journald and an sd_notify receiver (docs/testing.md §2).
@Suite(.serialized, .tags(.fixture, .journald), .needs(.journald)) struct SystemdIntegrationTests {
    static let fast = InProcessDaemon.fastConfig

    @Test func eventsLandInARealJournalWithEveryField() throws {
        let journal = try PrivateJournal.start()
        defer { journal.stop() }
        let daemon = try DaemonProcess(config: Self.fast)
        // nsenter runs sitbreakd inside the namespace whose /run holds the private journald.
        try daemon.start(wrapper: journal.command([]))
        let client = try daemon.connect()
        Thread.sleep(forTimeInterval: 4.5)  // posture every 2 s, walk at 4 s
        _ = try client.request(#"{"id":1,"cmd":"presence","state":"lock"}"#)
        Thread.sleep(forTimeInterval: 2.5)  // walk's 2 s break
        _ = try client.request(#"{"id":2,"cmd":"presence","state":"unlock"}"#)
        daemon.signal(SIGTERM)

        let reminders = try journal.entries(matching: ["SITBREAK_EVENT=reminder"])
        let posture = try #require(
            reminders.first { $0["SITBREAK_KIND"] == "posture" }, "no posture reminder: \(reminders)")
        #expect(posture["SYSLOG_IDENTIFIER"] == "sitbreakd")
        #expect(posture["PRIORITY"] == "5")
        #expect(posture["MESSAGE_ID"] == JournalMessageID.reminder)
        #expect(posture["SITBREAK_NAG"] == "0")
        #expect(posture["SITBREAK_SITTING_S"] == "2")
        #expect(posture["SITBREAK_COVERS"] != nil)
        #expect(posture["SITBREAK_TIME"]?.hasSuffix("Z") == true)
        #expect((posture["MESSAGE"] ?? "").count > 10)

        let walk = try journal.entries(matching: ["SITBREAK_KIND=walk"])
        let taken = try #require(walk.first { $0["SITBREAK_EVENT"] == "break_taken" }, "no walk break: \(walk)")
        #expect(taken["PRIORITY"] == "6")
        #expect(taken["MESSAGE_ID"] == JournalMessageID.breakTaken)
        #expect(taken["SITBREAK_NATURAL"] != nil)
        #expect(taken["SITBREAK_MANUAL"] == "false")
        #expect(Int(taken["SITBREAK_AWAY_S"] ?? "") ?? 0 >= 2)
        #expect(try journal.entries(matching: ["SITBREAK_EVENT=away"]).count == 1)
        #expect(try journal.entries(matching: ["SITBREAK_EVENT=back"]).count == 1)
        let own = try journal.entries(matching: ["SYSLOG_IDENTIFIER=sitbreakd"])
        #expect(own.contains { ($0["MESSAGE"] ?? "").hasPrefix("sitbreakd 0.1.0 started") })
    }

    /// The journal entry of a reminder carries `SITBREAK_TODAY_SITTING_S`, today's sitting so far
    /// (docs/design.md §4), read back from a real journald; `status` over the socket tells the
    /// same count a little later. Present from the start (the `always` source), so today's sitting
    /// is the time since `sitting_since`: at least the 2 s posture asks for, at most the wall time
    /// the daemon ran.
    @Test func aReminderEntryCarriesTodaysSittingAndStatusAgrees() throws {
        let journal = try PrivateJournal.start()
        defer { journal.stop() }
        let daemon = try DaemonProcess(config: Self.fast)
        let started = Date()
        try daemon.start(wrapper: journal.command([]))
        let client = try daemon.connect()
        Thread.sleep(forTimeInterval: 2.6)  // posture every 2 s
        let asked = Int64(Date().timeIntervalSince1970)
        let status = try #require(try client.request(#"{"id":1,"cmd":"status"}"#)["result"] as? [String: Any])
        let answered = Int64(Date().timeIntervalSince1970)
        daemon.signal(SIGTERM)

        let reminders = try journal.entries(matching: ["SITBREAK_EVENT=reminder"])
        #expect(reminders.allSatisfy { $0["SITBREAK_TODAY_SITTING_S"] != nil }, "\(reminders)")
        let posture = try #require(
            reminders.first { $0["SITBREAK_KIND"] == "posture" }, "no posture reminder: \(reminders)")
        let today = try #require(
            Int64(posture["SITBREAK_TODAY_SITTING_S"] ?? ""), "no integer SITBREAK_TODAY_SITTING_S:\n\(posture)")
        #expect(posture["SITBREAK_SITTING_S"] == "2")
        #expect(today >= 2, "posture every 2 s: present that long before its reminder")
        // journald stamps the entry on arrival, after the daemon counted.
        let arrived = try #require(Double(posture["__REALTIME_TIMESTAMP"] ?? "")) / 1e6
        #expect(Double(today) <= arrived - started.timeIntervalSince1970 + 1, "not more than the daemon ran")

        let sittingSince = try #require(
            (status["sitting_since"] as? String).flatMap { Timestamp(rfc3339: $0) }, "\(status)")
        let statusToday = try #require((status["today_sitting_s"] as? Int).map(Int64.init), "\(status)")
        let reminderTime = try #require(posture["SITBREAK_TIME"].flatMap { Timestamp(rfc3339: $0) })
        // Across a local midnight (UTC here) today's count starts again: nothing more to compare.
        let days = LocalDays(dayStartsMinute: 0, timeZone: FixedOffsetTimeZone.utc)
        guard days.day(containing: sittingSince) == days.day(containing: Timestamp(secondsSinceEpoch: answered)) else {
            return
        }
        // Counted at the end of the reminder's batch: its instant, or the second after.
        #expect((0...1).contains(today - (reminderTime - sittingSince)), "\(today) s at \(reminderTime)")
        #expect(statusToday >= today, "no absence since the reminder: the count only grows")
        #expect(
            (asked - sittingSince.secondsSinceEpoch...answered - sittingSince.secondsSinceEpoch).contains(statusToday),
            "status: \(statusToday) s sitting since \(sittingSince), asked at \(asked)")
    }

    @Test func notifiesReadyOnlyOnceTheSocketAcceptsThenStatusWatchdogReloadAndStop() throws {
        let receiver = try NotifyReceiver()
        defer { receiver.close() }
        let daemon = try DaemonProcess(config: InProcessDaemon.quietConfig)
        try daemon.start(
            environment: ["NOTIFY_SOCKET": receiver.path, "WATCHDOG_USEC": "2000000"], waitForSocket: false)
        let ready = try #require(try receiver.waitFor(timeout: 10) { $0["READY"] == "1" }, "no READY=1")
        // READY came after the socket was listening: a connection succeeds at once.
        #expect(try daemon.connect().request(#"{"id":1,"cmd":"version"}"#)["ok"] as? Bool == true)
        #expect(ready.senderPID == daemon.process?.processIdentifier)
        let status = ready["STATUS"] ?? receiver.received.last { $0["STATUS"] != nil }?["STATUS"]
        #expect(status?.hasPrefix("sitting since ") == true)
        #expect(status?.contains(" · posture at ") == true)

        // WATCHDOG_USEC=2 s: a ping every second.
        let pings = try receiver.collect(for: 3.6).filter { $0["WATCHDOG"] == "1" }
        #expect((3...4).contains(pings.count), "\(pings)")
        for (a, b) in zip(pings, pings.dropFirst()) {
            #expect(abs(b.arrival - a.arrival - 1.0) < 0.4, "pings \(a.arrival) → \(b.arrival)")
        }

        daemon.signal(SIGHUP, wait: false)
        let reloading = try #require(try receiver.waitFor(timeout: 5) { $0["RELOADING"] == "1" }, "no RELOADING=1")
        #expect(Int(reloading["MONOTONIC_USEC"] ?? "") != nil)
        #expect(try receiver.waitFor(timeout: 5) { $0["READY"] == "1" } != nil)

        _ = try daemon.connect().request(#"{"id":2,"cmd":"reload"}"#)
        #expect(try receiver.waitFor(timeout: 5) { $0["RELOADING"] == "1" } != nil)
        #expect(try receiver.waitFor(timeout: 5) { $0["READY"] == "1" } != nil)

        daemon.signal(SIGTERM, wait: false)
        #expect(try receiver.waitFor(timeout: 5) { $0["STOPPING"] == "1" } != nil)
        daemon.process?.waitUntilExit()
        #expect(daemon.process?.terminationStatus == 0)
    }
}
