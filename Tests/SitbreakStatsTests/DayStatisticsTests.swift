import SitbreakEngine
import SitbreakSimulator
import SitbreakStats
import SitbreakTesting
import Testing

/// Runs a trace given as lines and returns its days.
func days(
    _ lines: [String], schedule: Schedule = Schedules.traces, timeZone: any LocalTimeZone = FixedOffsetTimeZone.utc
) throws -> [DayStatistics] {
    try Simulator.runStatistics(
        text: lines.joined(separator: "\n"), file: "t.trace", schedule: schedule, timeZone: timeZone)
}

/// `(day, sitting_s, longest_sitting_s)` of each day, the shape most cases check.
func sitting(_ days: [DayStatistics]) -> [String] {
    days.map { "\($0.day) \($0.sittingSeconds) \($0.longestSittingSeconds)" }
}

let midnight = Schedules.with(Schedules.traces) { $0.dayStartsMinute = 0 }

@Suite("Day statistics")
struct DayStatisticsTests {
    @Test("a DST day is 23 hours long and counts only those (Europe/Berlin, day_starts 04:00)")
    func springForward() throws {
        // 2026-03-29 02:00 CET the clocks go to 03:00 CEST, inside the day that started on the 28th;
        // 04:00 local is 03:00Z before the change and 02:00Z after it.
        let result = try days(
            ["2026-03-27T12:00:00Z active", "2026-03-30T02:00:00Z end"], timeZone: EuropeanSummerTimeZone())
        #expect(sitting(result) == ["2026-03-27 54000 54000", "2026-03-28 82800 82800", "2026-03-29 86400 86400"])
        #expect(result[1].start.rfc3339 == "2026-03-28T03:00:00Z" && result[1].end.rfc3339 == "2026-03-29T02:00:00Z")
        // The heat map's hours: local 02:00–03:00 did not exist on the 29th.
        #expect(result[1].sittingByHour[2] == 0 && result[1].sittingByHour[3] == 3600)
    }

    @Test("a day starting at day_starts takes the night before it into the previous date")
    func dayStartsNotMidnight() throws {
        let result = try days([
            "2026-11-30T03:00:00Z active", "2026-11-30T03:30:00Z idle", "2026-11-30T05:00:00Z active",
            "2026-11-30T06:00:00Z idle", "2026-11-30T07:00:00Z end",
        ])
        #expect(sitting(result) == ["2026-11-29 1800 1800", "2026-11-30 3600 3600"])
        #expect(result[0].firstActivity?.rfc3339 == "2026-11-30T03:00:00Z")
        #expect(result[1].lastActivity?.rfc3339 == "2026-11-30T06:00:00Z")
    }

    @Test("a stretch across the day boundary counts in each day for its own part")
    func acrossBoundary() throws {
        let result = try days(
            [
                "2026-11-30T20:00:00Z active", "2026-11-30T20:30:00Z idle", "2026-11-30T23:00:00Z active",
                "2026-12-01T01:00:00Z idle", "2026-12-01T02:00:00Z end",
            ], schedule: midnight)
        #expect(sitting(result) == ["2026-11-30 5400 3600", "2026-12-01 3600 3600"])
        #expect(result[0].lastActivity?.rfc3339 == "2026-12-01T00:00:00Z")
        #expect(result[1].firstActivity?.rfc3339 == "2026-12-01T00:00:00Z")
    }

    @Test("every day from the first instant to the last before end is listed, empty days too")
    func emptyDays() throws {
        let result = try days(
            [
                "2026-11-30T09:00:00Z active", "2026-11-30T10:00:00Z idle", "2026-12-03T09:00:00Z active",
                "2026-12-03T09:30:00Z idle", "2026-12-04T00:00:00Z end",
            ], schedule: midnight)
        #expect(
            sitting(result) == ["2026-11-30 3600 3600", "2026-12-01 0 0", "2026-12-02 0 0", "2026-12-03 1800 1800"])
        #expect(result[1].firstActivity == nil && result[1].lastActivity == nil)
        #expect(result[1].jsonObject.contains("\"first_activity\":null"))
        // The last day ends at `end`.
        #expect(result[3].end.rfc3339 == "2026-12-04T00:00:00Z")
    }

    @Test("before the first input is absent, and while locked only unlock ends the absence")
    func beforeFirstInput() throws {
        let result = try days([
            "2026-11-30T09:00:00Z lock", "2026-11-30T09:30:00Z active", "2026-11-30T10:00:00Z unlock",
            "2026-11-30T11:00:00Z end",
        ])
        #expect(sitting(result) == ["2026-11-30 3600 3600"])
    }

    @Test("idle not yet recognised counts as sitting; once recognised it is taken back, across midnight too")
    func absenceTakenBack() throws {
        // Recognised at 00:01, back-dated to 23:59: the minute after midnight is taken back from the new day.
        let across = try days(
            ["2026-11-30T22:00:00Z active", "2026-11-30T23:59:00Z idle", "2026-12-01T01:00:00Z end"], schedule: midnight
        )
        #expect(sitting(across) == ["2026-11-30 7140 7140", "2026-12-01 0 0"])
        // The trace ends before the idle is recognised: sitting up to the end.
        let provisional = try days([
            "2026-11-30T09:00:00Z active", "2026-11-30T10:00:00Z idle", "2026-11-30T10:01:00Z end",
        ])
        #expect(sitting(provisional) == ["2026-11-30 3660 3660"])
        // A lock after a short idle back-dates the absence to the idle.
        let lock = try days([
            "2026-11-30T09:00:00Z active", "2026-11-30T10:00:00Z idle", "2026-11-30T10:01:00Z lock",
            "2026-11-30T11:00:00Z unlock", "2026-11-30T11:30:00Z end",
        ])
        #expect(sitting(lock) == ["2026-11-30 5400 3600"])
    }

    @Test("a lock at the end instant does not take back sitting: nothing at or after end counts")
    func lockAtEnd() throws {
        let result = try days(
            [
                "2026-11-30T09:00:00Z active", "2026-11-30T10:00:00Z idle", "2026-11-30T10:01:00Z lock",
                "2026-11-30T10:01:00Z end",
            ])
        #expect(sitting(result) == ["2026-11-30 3660 3660"])
    }

    @Test("breaks after a reminder and how late they were taken")
    func lateness() throws {
        // Walk reminders at 09:50 and nags at 09:55, 10:00; leaving at 10:02 after the first at 09:50: 720 s late.
        let result = try days([
            "2026-11-30T09:00:00Z active", "2026-11-30T10:02:00Z idle", "2026-11-30T10:10:00Z active",
            "2026-11-30T10:20:00Z done walk", "2026-11-30T10:30:00Z end",
        ])
        let walk = try #require(result.first?.kinds.first { $0.kind == "walk" })
        #expect(walk.breaks == 2 && walk.manual == 1 && walk.natural == 0 && walk.afterReminder == 1)
        #expect(walk.latenessMedian == 720 && walk.latenessMax == 720)
        #expect(walk.reminders == 3)
    }

    @Test("the median lateness is the lower middle value")
    func median() {
        var kind = KindStatistics(kind: "walk")
        kind.lateness = [300, 60, 900, 120]
        #expect(kind.latenessMedian == 120 && kind.latenessMax == 900)
    }

    @Test("JSON and CSV come from the one description of the members")
    func outputs() throws {
        let day = try #require(try days(["2026-11-30T09:00:00Z active", "2026-11-30T10:30:00Z end"]).first)
        #expect(
            day.jsonObject
                == """
                {"day":"2026-11-30","sitting_s":5400,"longest_sitting_s":5400,"daily_limit":false,\
                "first_activity":"2026-11-30T09:00:00Z","last_activity":"2026-11-30T10:30:00Z","kinds":{\
                "walk":{"reminders":4,"covered":0,"breaks":0,"natural":0,"manual":0,"after_reminder":0,"snoozed":0,\
                "skipped":0,"late_median_s":null,"late_max_s":null},\
                "posture":{"reminders":3,"covered":1,"breaks":0,"natural":0,"manual":0,"after_reminder":0,"snoozed":0,\
                "skipped":0,"late_median_s":null,"late_max_s":null}}}
                """)
        let header = DayStatistics.csvHeader(kindNames: ["walk", "posture"]).split(separator: ",")
        let row = day.csvRow.split(separator: ",", omittingEmptySubsequences: false)
        #expect(header.count == row.count)
        #expect(header.prefix(4) == ["day", "sitting_s", "longest_sitting_s", "daily_limit"])
        #expect(header.contains("walk.reminders") && row[header.firstIndex(of: "walk.reminders")!] == "4")
    }
}
