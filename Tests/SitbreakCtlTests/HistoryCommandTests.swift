import Foundation
import SitbreakTesting
import Testing

/// `sitbreakctl history`: the recorded events, exported read-only.
@Suite("sitbreakctl history")
struct HistoryCommandTests {
    @Test("--json prints each event's line as emitted, --csv a row per event, readable lines by default")
    func export() throws {
        let dir = try TemporaryDirectory(prefix: "sitbreakctl-history")
        defer { dir.remove() }
        // A walk reminder at 09:50, a break after it, a skip the next day.
        try dir.write(
            "days.trace",
            "2026-11-30T09:00:00Z active\n2026-11-30T09:53:00Z idle\n2026-11-30T10:30:00Z active\n"
                + "2026-12-01T09:00:00Z active\n2026-12-01T09:55:00Z skip walk\n2026-12-01T10:00:00Z end\n")
        let imported = try Sitbreakctl.run(
            ["history-import", "--trace", "days.trace", "--history", "h.sqlite3"], in: dir.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let simulated = try Sitbreakctl.run(["simulate", "--trace", "days.trace"], in: dir.path)
        let json = try Sitbreakctl.run(["history", "--history", "h.sqlite3", "--json"], in: dir.path)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout == simulated.stdout, "the events exactly as the engine emitted them")
        #expect(json.stdout.contains(#""event":"skipped","kind":"walk""#))

        let day = try Sitbreakctl.run(
            ["history", "--history", "h.sqlite3", "--since", "2026-12-01", "--until", "2026-12-01", "--csv"],
            in: dir.path)
        let rows = day.stdout.split(separator: "\n")
        #expect(rows.first == "time,event,kind,json")
        #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("2026-12-01T") }, "\(day.stdout)")
        #expect(rows.contains { $0.hasPrefix("2026-12-01T09:55:00Z,skipped,walk,\"{\"\"time\"\":") })

        let readable = try Sitbreakctl.run(["history", "--history", "h.sqlite3"], in: dir.path)
        #expect(readable.stdout.contains("skipped"), "\(readable.stdout)")
    }

    @Test("bad dates exit 64; a missing history says so")
    func mistakes() throws {
        let bad = try Sitbreakctl.run(["history", "--since", "2026-02-30", "--history", "/nonexistent/h.sqlite3"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--since \"2026-02-30\" is not a date"), "\(bad.stderr)")
        let until = try Sitbreakctl.run(["history", "--until", "2026-02-01", "--history", "/nonexistent/h.sqlite3"])
        #expect(until.status == 64)
        let missing = try Sitbreakctl.run(["history", "--history", "/nonexistent/h.sqlite3"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no history yet"))
    }
}
