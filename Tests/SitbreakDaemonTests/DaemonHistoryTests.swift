import Foundation
import SitbreakEngine
import SitbreakHistory
import SitbreakTesting
import Testing

/// The real `sitbreakd` and its history store: every batch written, a damaged file set aside,
/// pruning by `[history] keep`, the open span ended at shutdown, a full disk survived.
@Suite(.serialized) struct DaemonHistoryTests {
    static let quiet = DaemonConfigs.quiet

    static func storePath(_ daemon: DaemonProcess) -> String {
        daemon.directory.path + "/state/sitbreak/history.sqlite3"
    }

    /// The store, read-only, as `sitbreakctl stats` opens it.
    static func store(_ daemon: DaemonProcess) throws -> HistoryStore {
        try HistoryStore(path: storePath(daemon), access: .readOnly, now: Timestamp(secondsSinceEpoch: 0))
    }

    static let always = (from: Timestamp(secondsSinceEpoch: 0), to: Timestamp(secondsSinceEpoch: 1 << 40))

    @Test func eventsAreStoredBeforeTheReplyAndShutdownEndsTheSpan() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        try daemon.start()
        let client = try daemon.connect()
        let reply = try client.request(#"{"id":1,"cmd":"presence","state":"lock"}"#)
        #expect(reply["ok"] as? Bool == true)
        // The reply came after the commit: the event is in the file now.
        let stored = try Self.store(daemon).events(from: Self.always.from, to: Self.always.to)
        #expect(stored.map(\.type) == ["away"])
        #expect(try Self.store(daemon).spans(from: Self.always.from, to: Self.always.to).allSatisfy { $0.end != nil })
        _ = try client.request(#"{"id":2,"cmd":"presence","state":"unlock"}"#)
        #expect(try Self.store(daemon).spans(from: Self.always.from, to: Self.always.to).last?.end == nil)
        let status = try #require(try client.request(#"{"id":3,"cmd":"status"}"#)["result"] as? [String: Any])
        #expect(status["today_sitting_s"] is Int)
        #expect(daemon.signal(SIGTERM) == 0)
        let spans = try Self.store(daemon).spans(from: Self.always.from, to: Self.always.to)
        #expect(!spans.isEmpty && spans.allSatisfy { $0.end != nil }, "shutdown ends the open span: \(spans)")
        let mode = try FileManager.default.attributesOfItem(atPath: Self.storePath(daemon))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aDamagedStoreIsSetAsideAndLogged() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        let directory = daemon.directory.path + "/state/sitbreak"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try String(repeating: "not a database ", count: 500).write(
            toFile: Self.storePath(daemon), atomically: true, encoding: .utf8)
        try daemon.start()
        let client = try daemon.connect()
        #expect(try client.request(#"{"id":1,"cmd":"presence","state":"lock"}"#)["ok"] as? Bool == true)
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasPrefix("history.sqlite3.corrupt-")
        }
        #expect(aside.count == 1)
        #expect(
            daemon.stderr.contains("was damaged; kept it as \(directory)/history.sqlite3.corrupt-"), "\(daemon.stderr)")
        #expect(try Self.store(daemon).events(from: Self.always.from, to: Self.always.to).map(\.type) == ["away"])
    }

    @Test func keepPrunesOlderEventsAtStart() throws {
        let daemon = try DaemonProcess(config: Self.quiet + "\n[history]\nkeep = \"30d\"\n")
        let directory = daemon.directory.path + "/state/sitbreak"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let now = Int64(Date().timeIntervalSince1970)
        do {
            let store = try HistoryStore(path: Self.storePath(daemon), now: Timestamp(secondsSinceEpoch: now))
            for daysAgo: Int64 in [60, 40, 10] {
                let time = Timestamp(secondsSinceEpoch: now - daysAgo * 86_400)
                try store.append(events: [Event(time: time, body: .resumed)], changes: [])
            }
        }
        try daemon.start()
        let kept = try Self.store(daemon).events(from: Self.always.from, to: Self.always.to)
        #expect(kept.map(\.time.secondsSinceEpoch) == [now - 10 * 86_400])
    }

    /// A year of `stats` is computed a slice of days at a time: a `status` from another client
    /// sent meanwhile is answered before it (the daemon has one thread), a request the same client
    /// sent after it is answered after it, and every day is counted once.
    @Test func aYearOfStatsHoldsUpNeitherAnotherClientNorTheOrderOfReplies() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        try FileManager.default.createDirectory(
            atPath: daemon.directory.path + "/state/sitbreak", withIntermediateDirectories: true)
        let midnight = Int64(Date().timeIntervalSince1970) / 86_400 * 86_400
        func at(_ seconds: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: seconds) }
        do {
            // Three hours of sitting and a walk reminder every 50 minutes with its break, each of
            // the 365 days before today.
            let store = try HistoryStore(path: Self.storePath(daemon), now: at(midnight))
            var events: [Event] = []
            var changes: [PresenceChange] = []
            for day: Int64 in (1...365).reversed() {
                let nine = midnight - day * 86_400 + 9 * 3600
                changes.append(.sitting(since: at(nine)))
                for reminder: Int64 in 1...3 {
                    let due = nine + reminder * 3000
                    let body = Event.Reminder(
                        kind: "walk", nag: 0, sittingSeconds: 3000, covers: ["posture"], message: "", suggestion: "")
                    events.append(Event(time: at(due), body: .reminder(body)))
                    events.append(
                        Event(
                            time: at(due + 400),
                            body: .breakTaken(kind: "walk", natural: false, manual: false, awaySeconds: 300)))
                }
                changes.append(.absent(since: at(nine + 3 * 3600), learnedAt: at(nine + 3 * 3600)))
            }
            try store.append(events: events, changes: changes)
        }
        try daemon.start()
        let asking = try daemon.connect()
        let other = try daemon.connect()
        #expect(try other.request(#"{"id":1,"cmd":"version"}"#)["ok"] as? Bool == true)
        let first = Date(timeIntervalSince1970: TimeInterval(midnight - 365 * 86_400))
        let since = first.formatted(.iso8601.year().month().day())
        try asking.send(#"{"id":2,"cmd":"stats","since":"\#(since)"}"#)
        try asking.send(#"{"id":3,"cmd":"status"}"#)
        try other.send(#"{"id":4,"cmd":"status"}"#)
        let otherStatus = try #require(other.readLine(timeout: 30))
        // Computed in one go, the year's reply would have been written (its first bytes at least)
        // before the other client was read at all.
        var pending = pollfd(fd: asking.fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pending, 1, 0) == 0, "the other client's status waited for the year")
        #expect(otherStatus.contains(#""id":4,"ok":true"#))
        let statsLine = try #require(asking.readLine(timeout: 30))
        let statusLine = try #require(asking.readLine(timeout: 30))
        #expect(statsLine.hasPrefix(#"{"id":2,"ok":true"#))
        #expect(statusLine.hasPrefix(#"{"id":3,"ok":true"#), "replies in the order of the requests")
        let stats = try #require(
            try JSONSerialization.jsonObject(with: Data(statsLine.utf8)) as? [String: Any])
        let days = try #require((stats["result"] as? [String: Any])?["days"] as? [[String: Any]])
        #expect(
            days.count >= 365,
            "the 365 days before today at least: \(days.first?["day"] ?? "") to \(days.last?["day"] ?? "")")
        #expect(days.first?["day"] as? String == since)
        let totals = try #require((stats["result"] as? [String: Any])?["totals"] as? [String: Any])
        #expect(totals["sitting_s"] as? Int == 365 * 3 * 3600, "\(totals)")
        #expect(days.prefix(365).allSatisfy { $0["sitting_s"] as? Int == 3 * 3600 })
    }

    @Test func aFullDiskIsLoggedOnceRemindersGoOnAndTheBatchesAreWrittenLater() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        let state = daemon.directory.path + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        // A real full disk: a small tmpfs, filled up (needs root, as the test suites run).
        try #require(
            Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", state]) == 0, "mount tmpfs failed")
        defer {
            daemon.signal(SIGKILL)
            _ = Self.run("/bin/umount", ["-l", state])
        }
        try daemon.start()
        let client = try daemon.connect()
        #expect(try client.request(#"{"id":1,"cmd":"presence","state":"lock"}"#)["ok"] as? Bool == true)
        let filler = state + "/filler"
        _ = Self.run("/bin/dd", ["if=/dev/zero", "of=" + filler, "bs=4k"])
        for i in 0..<6 {
            let reply = try client.request(
                #"{"id":\#(10 + i),"cmd":"presence","state":"\#(i % 2 == 0 ? "unlock" : "lock")"}"#)
            #expect(reply["ok"] as? Bool == true, "the daemon answers on a full disk")
        }
        #expect(try client.request(#"{"id":20,"cmd":"snooze","kind":"walk","duration":60}"#)["ok"] as? Bool == true)
        let failures = daemon.stderr.components(separatedBy: "history: cannot write").count - 1
        #expect(failures == 1, "logged once: \(daemon.stderr)")
        try FileManager.default.removeItem(atPath: filler)
        _ = try client.request(#"{"id":30,"cmd":"presence","state":"unlock"}"#)
        #expect(daemon.stderr.contains("history: writing again"))
        let types = try Self.store(daemon).events(from: Self.always.from, to: Self.always.to).map(\.type)
        #expect(types == ["away", "back", "away", "back", "away", "back", "away", "snoozed", "back"], "\(types)")
    }

    @discardableResult
    static func run(_ path: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
