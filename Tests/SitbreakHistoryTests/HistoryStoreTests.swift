import CSQLite
import Foundation
import SitbreakEngine
import SitbreakHistory
import SitbreakSimulator
import SitbreakStats
import SitbreakTesting
import Testing

let t0 = Timestamp(rfc3339: "2026-11-30T09:00:00Z")!
let utcDays = LocalDays(dayStartsMinute: 240, timeZone: FixedOffsetTimeZone.utc)

/// Runs `steps` through the engine, appending each step's events and changes as one batch, and
/// returns the statistics computed live alongside.
func record(
    _ steps: [SitbreakTesting.TraceStep], end: Timestamp, schedule: Schedule, into store: HistoryStore
) throws -> [DayStatistics] {
    var engine = Engine(schedule: schedule)
    var live = DayStatisticsAccumulator(schedule: schedule, timeZone: FixedOffsetTimeZone.utc, start: steps[0].time)
    for step in steps {
        let events = engine.apply(step.input, at: step.time)
        let changes = engine.takePresenceChanges()
        try store.append(events: events, changes: changes)
        for e in events { live.record(e) }
        for c in changes { live.record(c) }
    }
    let events = engine.advance(before: end)
    let changes = engine.takePresenceChanges()
    try store.append(events: events, changes: changes)
    for e in events { live.record(e) }
    for c in changes { live.record(c) }
    return live.finish(at: end)
}

@Suite("History store")
struct HistoryStoreTests {
    @Test("round trip: events and spans come back; the file is 0600, WAL, ours, at the current version")
    func roundTrip() throws {
        let dir = try TemporaryDirectory(prefix: "history")
        defer { dir.remove() }
        let path = dir.path + "/history.sqlite3"
        let store = try HistoryStore(path: path, now: t0)
        let event = Event(time: t0 + 60, body: .skipped(kind: "walk"))
        try store.append(events: [event], changes: [.sitting(since: t0), .absent(since: t0 + 30, learnedAt: t0 + 150)])
        try store.append(events: [], changes: [.sitting(since: t0 + 200)])
        #expect(
            try store.events(from: t0, to: t0 + 3600) == [
                StoredEvent(time: t0 + 60, type: "skipped", kind: "walk", json: event.jsonLine)
            ])
        #expect(
            try store.spans(from: t0, to: t0 + 3600) == [
                SittingSpan(start: t0, end: t0 + 30), SittingSpan(start: t0 + 200, end: nil),
            ])
        #expect(try store.schemaVersionInFile() == HistoryStore.schemaVersion)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        // Read-only, as sitbreakctl reads it while the daemon runs.
        let reader = try HistoryStore(path: path, access: .readOnly, now: t0)
        #expect(try reader.counts() == (1, 2))
    }

    @Test("statistics recomputed from the stored events and spans equal those computed live", arguments: 1...6)
    func recomputed(seed: UInt64) throws {
        let dir = try TemporaryDirectory(prefix: "history")
        defer { dir.remove() }
        let store = try HistoryStore(path: dir.path + "/history.sqlite3", now: t0)
        let schedule = Schedules.with(Schedules.traces) { $0.dailyLimit = 3 * 3600 }
        var generator = TraceGenerator(kindNames: ["walk", "posture"], seed: seed)
        let (steps, end) = generator.trace(count: 300, start: t0)
        let live = try record(steps, end: end, schedule: schedule, into: store)
        let stored = try store.statistics(
            days: utcDays, kindNames: ["walk", "posture"], first: live.first!.date, last: live.last!.date, now: end)
        #expect(stored == live)
        // A range from the middle on agrees with the live days of that range.
        let middle = live.count / 2
        let part = try store.statistics(
            days: utcDays, kindNames: ["walk", "posture"], first: live[middle].date, last: live.last!.date, now: end)
        #expect(part.map(\.sittingSeconds) == live[middle...].map(\.sittingSeconds))
        #expect(part.map(\.kinds) == live[middle...].map(\.kinds))
    }

    @Test("a file at version 1 is migrated, keeping its rows")
    func migration() throws {
        let dir = try TemporaryDirectory(prefix: "history")
        defer { dir.remove() }
        let path = dir.path + "/history.sqlite3"
        do {
            let old = try HistoryStore(path: path, access: .readWrite, now: t0, migratingTo: 1)
            #expect(try old.schemaVersionInFile() == 1)
            try old.append(events: [Event(time: t0, body: .resumed)], changes: [.sitting(since: t0)])
        }
        let store = try HistoryStore(path: path, now: t0)
        #expect(try store.schemaVersionInFile() == HistoryStore.schemaVersion)
        #expect(try store.counts() == (1, 1))
        #expect(try store.pruneIfDue(keep: 86400, now: t0 + 10 * 86400))  // version 2's table is there
    }

    @Test("version 3's typed columns are filled from the JSON of older rows: the same statistics", arguments: 1...3)
    func typedColumnsMigration(seed: UInt64) throws {
        let dir = try TemporaryDirectory(prefix: "history")
        defer { dir.remove() }
        let path = dir.path + "/history.sqlite3"
        let schedule = Schedules.with(Schedules.traces) { $0.dailyLimit = 3 * 3600 }
        var generator = TraceGenerator(kindNames: ["walk", "posture"], seed: seed)
        let (steps, end) = generator.trace(count: 300, start: t0)
        let live: [DayStatistics]
        do {
            let old = try HistoryStore(path: path, access: .readWrite, now: t0, migratingTo: 2)
            live = try record(steps, end: end, schedule: schedule, into: old)
            // Read-only, a version 2 file is counted from its JSON lines.
            let reader = try HistoryStore(path: path, access: .readOnly, now: t0)
            #expect(
                try reader.statistics(
                    days: utcDays, kindNames: ["walk", "posture"], first: live.first!.date, last: live.last!.date,
                    now: end) == live)
        }
        let store = try HistoryStore(path: path, now: t0)
        #expect(try store.schemaVersionInFile() == 3)
        let stored = try store.statistics(
            days: utcDays, kindNames: ["walk", "posture"], first: live.first!.date, last: live.last!.date, now: end)
        #expect(stored == live)
        #expect(live.contains { day in day.kinds.contains { $0.covered > 0 || $0.breaks > 0 } })
    }

    @Test("a newer schema is refused and the file left as it was")
    func newerSchema() throws {
        let dir = try TemporaryDirectory(prefix: "history")
        defer { dir.remove() }
        let path = dir.path + "/history.sqlite3"
        do { _ = try HistoryStore(path: path, now: t0) }
        try sqlite(path, "PRAGMA user_version = 99")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect {
            _ = try HistoryStore(path: path, now: t0)
        } throws: { error in
            let e = error as? HistoryError
            return e?.code == .newerSchema && e!.description.contains("newer sitbreak (schema version 99")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("someone else's SQLite database is refused")
    func notOurs() throws {
        let dir = try TemporaryDirectory(prefix: "history")
        defer { dir.remove() }
        let path = dir.path + "/history.sqlite3"
        try sqlite(path, "PRAGMA application_id = 42; CREATE TABLE t (x)")
        #expect(throws: HistoryError.self) { _ = try HistoryStore(path: path, now: t0) }
    }

    @Test("a corrupt file is moved aside and a new one started; read-only it is an error")
    func corrupt() throws {
        let dir = try TemporaryDirectory(prefix: "history")
        defer { dir.remove() }
        let path = dir.path + "/history.sqlite3"
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect(throws: HistoryError.self) { _ = try HistoryStore(path: path, access: .readOnly, now: t0) }
        let store = try HistoryStore(path: path, now: t0)
        #expect(store.setAside == path + ".corrupt-20261130T090000Z")
        #expect(FileManager.default.fileExists(atPath: path + ".corrupt-20261130T090000Z"))
        #expect(try store.counts() == (0, 0))
        try store.append(events: [Event(time: t0, body: .resumed)], changes: [])
        #expect(try store.counts() == (1, 0))
    }

    @Test("an unwritable place and a symbolic link give a clear error")
    func unwritable() throws {
        // /proc refuses new files even to root (the tests may run as root, for whom a 0500
        // directory is writable).
        #expect {
            _ = try HistoryStore(path: "/proc/history.sqlite3", now: t0)
        } throws: { error in
            let e = error as? HistoryError
            return e?.code == .cannotOpen
                && e!.description.hasPrefix("/proc/history.sqlite3: cannot open for writing: ")
        }
        let dir = try TemporaryDirectory(prefix: "history")
        defer { dir.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: dir.path + "/history.sqlite3", withDestinationPath: dir.path + "/elsewhere")
        #expect {
            _ = try HistoryStore(path: dir.path + "/history.sqlite3", now: t0)
        } throws: { error in
            (error as? HistoryError)?.description.contains("symbolic link") == true
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/elsewhere"))
    }

    @Test("pruning removes what is older than the retention, at most once a day")
    func prune() throws {
        let dir = try TemporaryDirectory(prefix: "history")
        defer { dir.remove() }
        let store = try HistoryStore(path: dir.path + "/history.sqlite3", now: t0)
        try store.append(
            events: [Event(time: t0, body: .resumed)],
            changes: [.sitting(since: t0), .absent(since: t0 + 60, learnedAt: t0 + 60)])
        try store.append(
            events: [Event(time: t0 + 86400 * 10, body: .resumed)], changes: [.sitting(since: t0 + 86400 * 10)])
        #expect(try store.pruneIfDue(keep: 86400 * 5, now: t0 + 86400 * 11))
        #expect(try store.counts() == (1, 1))
        #expect(try !store.pruneIfDue(keep: 86400 * 5, now: t0 + 86400 * 11 + 3600))
        #expect(try !store.pruneIfDue(keep: nil, now: t0 + 86400 * 30))
    }
}

/// Runs SQL on a file directly through SQLite, as another program would.
func sqlite(_ path: String, _ sql: String) throws {
    var db: OpaquePointer?
    guard sqlite3_open(path, &db) == SQLITE_OK else { throw CocoaError(.fileWriteUnknown) }
    defer { sqlite3_close(db) }
    let rc = sqlite3_exec(db, sql, nil, nil, nil)
    try #require(rc == SQLITE_OK, "\(String(cString: sqlite3_errmsg(db)))")
}
