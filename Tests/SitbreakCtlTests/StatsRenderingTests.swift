import Foundation
import SitbreakEngine
import SitbreakStats
import SitbreakTesting
import Testing

@testable import SitbreakCtlCommands

/// Two days by hand: Monday with a walk break after a reminder, Tuesday with nothing.
let sampleDays: [DayStatistics] = {
    let monday = CivilDate(year: 2026, month: 11, day: 30)
    var a = DayStatistics(
        date: monday, start: Timestamp(rfc3339: "2026-11-30T04:00:00Z")!,
        end: Timestamp(rfc3339: "2026-12-01T04:00:00Z")!,
        kindNames: ["walk", "posture"])
    a.sittingSeconds = 5 * 3600 + 300
    a.longestSittingSeconds = 3000
    a.dailyLimit = true
    a.kinds[0].reminders = 3
    a.kinds[0].breaks = 2
    a.kinds[0].natural = 1
    a.kinds[0].lateness = [600]
    a.kinds[1].reminders = 4
    a.kinds[1].covered = 1
    a.sittingByHour[9] = 3600
    a.sittingByHour[10] = 1800
    a.sittingByHour[14] = 600
    var b = DayStatistics(
        date: monday.adding(days: 1), start: a.end, end: Timestamp(rfc3339: "2026-12-02T04:00:00Z")!,
        kindNames: ["walk", "posture"])
    b.sittingSeconds = 45 * 60
    b.longestSittingSeconds = 45 * 60
    b.sittingByHour[23] = 2700
    return [a, b]
}()

@Suite("sitbreakctl stats: rendering and ranges")
struct StatsRenderingTests {
    @Test("the report without colour, byte for byte")
    func golden() {
        let expected = """
            day             sitting  longest    limit  reminders  breaks  late (median)
            Mon 2026-11-30     5h05      50m  reached          7       2            10m
            Tue 2026-12-01      45m      45m                   0       0

            Sitting per day
            2026-11-30  ████████████████████████████████████████ 5h05
            2026-12-01  █████▉ 45m

            Breaks taken / reminders
            walk     ████████████████████░░░░░░░░░░  2/3 (1 natural)
            posture  ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  0/5

            Sitting by hour    0     6     12    18
            Mon                        █▒   ░
            Tue                                      ▓
            Wed
            Thu
            Fri
            Sat
            Sun

            """
        let actual = StatsRendering.report(sampleDays, colour: false)
        #expect(actual == expected, "\n\(actual)")
    }

    @Test("colour only when asked: ANSI around the bars and the heat map, nowhere else")
    func colour() {
        let plain = StatsRendering.report(sampleDays, colour: false)
        let coloured = StatsRendering.report(sampleDays, colour: true)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[36m████"))
        #expect(coloured.contains("\u{1B}[33m"))
        #expect(coloured.replacingOccurrences(of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression) == plain)
    }

    static let today = CivilDate(year: 2026, month: 12, day: 3)  // a Thursday

    @Test(
        "ranges: default, --week, --month, --since/--until",
        arguments: [
            (false, false, nil, nil, "2026-11-26...2026-12-03"),
            (true, false, nil, nil, "2026-11-30...2026-12-03"),
            (false, true, nil, nil, "2026-12-01...2026-12-03"),
            (false, false, "2026-11-01", nil, "2026-11-01...2026-12-03"),
            (false, false, "2026-11-01", "2026-11-30", "2026-11-01...2026-11-30"),
            (false, false, "2026-11-30", "2026-11-30", "2026-11-30...2026-11-30"),
        ] as [(Bool, Bool, String?, String?, String)])
    func ranges(week: Bool, month: Bool, since: String?, until: String?, expected: String) throws {
        let range = try StatsRange.resolve(today: Self.today, week: week, month: month, since: since, until: until)
        #expect("\(range.first.isoText)...\(range.last.isoText)" == expected)
    }

    @Test(
        "bad dates and ranges are usage errors that say what is wrong",
        arguments: [
            (false, false, "2026-02-30", nil, "--since \"2026-02-30\" is not a date (YYYY-MM-DD, e.g. 2026-11-30)"),
            (false, false, "30.11.2026", nil, "--since \"30.11.2026\" is not a date (YYYY-MM-DD, e.g. 2026-11-30)"),
            (false, false, "2026-11-30", "2026-11-01", "--until 2026-11-01 is before --since 2026-11-30"),
            (false, false, nil, "2026-11-01", "--until needs --since"),
            (true, true, nil, nil, "choose one of --week, --month and --since"),
            (true, false, "2026-11-01", nil, "choose one of --week, --month and --since"),
        ] as [(Bool, Bool, String?, String?, String)])
    func badRanges(week: Bool, month: Bool, since: String?, until: String?, message: String) {
        #expect(throws: StatsUsageError(message)) {
            try StatsRange.resolve(today: Self.today, week: week, month: month, since: since, until: until)
        }
    }

    @Test("sitbreakctl stats: a bad date exits 64; a missing history says so; --json and --csv read the store")
    func command() throws {
        let bad = try Sitbreakctl.run(["stats", "--since", "2026-13-01", "--history", "/nonexistent/h.sqlite3"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--since \"2026-13-01\" is not a date"))
        let missing = try Sitbreakctl.run(["stats", "--history", "/nonexistent/h.sqlite3"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/h.sqlite3: no history yet"))

        let dir = try TemporaryDirectory(prefix: "sitbreakctl-stats")
        defer { dir.remove() }
        try dir.write("day.trace", "2026-11-30T09:00:00Z active\n2026-11-30T10:30:00Z end\n")
        let imported = try Sitbreakctl.run(
            ["history-import", "--trace", "day.trace", "--history", "h.sqlite3"], in: dir.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let json = try Sitbreakctl.run(
            ["stats", "--history", "h.sqlite3", "--since", "2026-11-30", "--until", "2026-11-30", "--json"],
            in: dir.path)
        #expect(json.status == 0, "\(json.stderr)")
        let day = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(day?["day"] as? String == "2026-11-30" && day?["sitting_s"] as? Int == 5400)
        let csv = try Sitbreakctl.run(
            ["stats", "--history", "h.sqlite3", "--since", "2026-11-29", "--until", "2026-11-30", "--csv"], in: dir.path
        )
        #expect(csv.stdout.split(separator: "\n").count == 3)
        #expect(csv.stdout.hasPrefix("day,sitting_s,longest_sitting_s,daily_limit,"))
    }
}
