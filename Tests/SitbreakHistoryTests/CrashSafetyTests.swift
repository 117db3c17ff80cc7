import CSQLite
import Foundation
import SitbreakEngine
import SitbreakHistory
import SitbreakTesting
import Testing

@Suite("History store: kill -9 while writing")
struct CrashSafetyTests {
    /// A child process (`sitbreakctl history-import --progress`) commits one batch per trace step
    /// and prints how many events it has committed; killed at some moment, the file must pass
    /// SQLite's integrity check and hold at least every event it said were committed.
    @Test("never corrupts the file and loses no committed row", arguments: [150, 700, 1500])
    func killNine(after reported: Int) throws {
        let binary = try BuiltProducts.require("sitbreakctl")
        let dir = try TemporaryDirectory(prefix: "history-crash")
        defer { dir.remove() }
        // Ten hours of sitting a day, short walks each hour, for a year: far more than the kill waits for.
        var lines: [String] = []
        var t = Timestamp(rfc3339: "2026-01-05T08:00:00Z")!
        for _ in 0..<365 {
            for hour in 0..<10 {
                lines.append("\((t + Int64(hour) * 3600).rfc3339) active")
                lines.append("\((t + Int64(hour) * 3600 + 3300).rfc3339) idle")
            }
            t = t + 86400
        }
        lines.append("\(t.rfc3339) end")
        let trace = try dir.write("year.trace", lines.joined(separator: "\n") + "\n")
        let path = dir.path + "/history.sqlite3"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["history-import", "--trace", trace, "--history", path, "--progress"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var committed = 0
        var buffer = ""
        let handle = pipe.fileHandleForReading
        while committed < reported {
            let data = handle.availableData
            if data.isEmpty { break }
            buffer += String(decoding: data, as: UTF8.self)
            let complete = buffer.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if let last = complete.last, let n = Int(last) { committed = n }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import ended before it was killed")
        try #require(committed >= reported, "the child reported only \(committed) events")

        var db: OpaquePointer?
        try #require(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK)
        defer { sqlite3_close(db) }
        #expect(try scalarText(db!, "PRAGMA integrity_check") == "ok")
        let stored = Int(try scalarText(db!, "SELECT count(*) FROM events") ?? "0") ?? 0
        #expect(stored >= committed, "committed \(committed), found \(stored)")
        // The store opens normally afterwards (nothing set aside).
        let store = try HistoryStore(path: path, now: t)
        #expect(store.setAside == nil)
    }
}

func scalarText(_ db: OpaquePointer, _ sql: String) throws -> String? {
    var statement: OpaquePointer?
    try #require(sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK)
    defer { sqlite3_finalize(statement) }
    guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return nil }
    return String(cString: text)
}
