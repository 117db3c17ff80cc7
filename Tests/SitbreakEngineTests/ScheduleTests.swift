import SitbreakEngine
import SitbreakTesting
import Testing

/// Active hours, clock changes and the daily limit (docs/engine.md §5, §6).
@Suite struct ScheduleTests {
    static let walkOnly = Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300)])
    static let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

    static func hours(_ days: Set<Weekday>, _ start: String, _ end: String) -> ActiveHoursEntry {
        func minutes(_ t: String) -> Int {
            let p = t.split(separator: ":").map { Int($0)! }
            return p[0] * 60 + p[1]
        }
        return ActiveHoursEntry(days: days, startMinute: minutes(start), endMinute: minutes(end))
    }

    @Test func activeHoursStartingWhileAKindIsOverdue() {
        let schedule = Schedules.with(Schedules.traces) {
            $0.activeHours = [Self.hours(Self.weekdays, "09:00", "17:00")]
        }
        var s = Scenario(schedule)
        s.at("08:00", .active)
        s.end("09:06")
        #expect(s.summary == ["09:00 reminder walk nag=0 covers=posture", "09:05 reminder walk nag=1"])
    }

    @Test func noRemindersAfterActiveHoursEnd() {
        let schedule = Schedules.with(Self.walkOnly) { $0.activeHours = [Self.hours(Self.weekdays, "09:00", "10:00")] }
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.end("+1 09:01")
        // Sitting went on all night; the next morning's window releases one reminder.
        #expect(
            s.summary == ["09:50 reminder walk nag=0", "09:55 reminder walk nag=1", "+1 09:00 reminder walk nag=0"])
    }

    @Test(arguments: [
        // (entry, local time on Monday 2026-11-30 or later, active?)
        (hours([.friday], "22:00", "02:00"), "+4 23:00", true),  // Friday evening
        (hours([.friday], "22:00", "02:00"), "+5 01:30", true),  // belongs to Friday
        (hours([.friday], "22:00", "02:00"), "+5 22:30", false),  // Saturday is not Friday
        (hours([.friday], "22:00", "02:00"), "01:30", false),  // Monday morning: Sunday's window
        (hours([.monday], "08:00", "24:00"), "23:59", true),
        (hours([.monday], "08:00", "24:00"), "+1 00:00", false),
        (hours([.monday, .wednesday], "08:00", "09:00"), "+2 08:30", true),
        (hours([.monday, .wednesday], "08:00", "09:00"), "+1 08:30", false),
        (hours([.saturday, .sunday, .monday], "10:00", "11:00"), "10:30", true),
    ])
    func activeHoursWindows(entry: ActiveHoursEntry, at time: String, active: Bool) {
        // A nudge every second shows whether reminders may fire at that instant.
        let schedule = Schedule(activeHours: [entry], kinds: [BreakKind(name: "tick", every: 1, duration: 0)])
        var s = Scenario(schedule)
        let t = s.time(time)
        s.engine = Engine(schedule: schedule)
        var events = s.engine.apply(.presence(.active), at: t - 10)
        events += s.engine.advance(through: t)
        #expect(events.contains { $0.time == t && $0.name == "reminder" } == active)
    }

    @Test func springForwardInsideActiveHours() {
        // 29 March 2026 in Berlin: 02:00 CET becomes 03:00 CEST, so 02:30 never happens; the window
        // opens at the moment of the change, 01:00 UTC.
        let schedule = Schedules.with(Self.walkOnly) { $0.activeHours = [Self.hours([.sunday], "02:30", "12:00")] }
        var s = Scenario(schedule, timeZone: EuropeanSummerTimeZone(), date: CivilDate(year: 2026, month: 3, day: 29))
        s.at("00:00", .active)  // 01:00 CET
        s.end("01:41")
        #expect(
            s.summary == [
                "01:00 reminder walk nag=0", "01:05 reminder walk nag=1", "01:10 reminder walk nag=2",
                "01:15 reminder walk nag=3", "01:40 reminder walk nag=0",
            ])
    }

    @Test func fallBackInsideActiveHours() {
        // 25 October 2026 in Berlin: 02:30 happens twice; the window opens at the first, 00:30 UTC,
        // and closes at 03:00 CET, 02:00 UTC, after the repeated hour.
        let schedule = Schedules.with(Self.walkOnly) { $0.activeHours = [Self.hours([.sunday], "02:30", "03:00")] }
        var s = Scenario(schedule, timeZone: EuropeanSummerTimeZone(), date: CivilDate(year: 2026, month: 10, day: 25))
        s.at("2026-10-24T23:00:00Z", .active)  // 01:00 CEST
        s.end("03:00")
        #expect(
            s.summary == [
                "00:30 reminder walk nag=0", "00:35 reminder walk nag=1",
                // Sitting reaches 100 minutes: a new series.
                "00:40 reminder walk nag=0", "00:45 reminder walk nag=1", "00:50 reminder walk nag=2",
                "00:55 reminder walk nag=3",
                // Still inside the window during the repeated hour (it closes at 02:00 UTC).
                "01:30 reminder walk nag=0", "01:35 reminder walk nag=1",
                "01:40 reminder walk nag=2", "01:45 reminder walk nag=3",
            ])
    }

    @Test func dailyLimitAcrossDayStarts() {
        let schedule = Schedule(
            dayStartsMinute: 240, dailyLimit: 10800, kinds: [BreakKind(name: "walk", every: 36000, duration: 300)])
        var s = Scenario(schedule)
        s.at("00:30", .active)
        s.end("07:01")
        // The day that began yesterday at 04:00 reaches three hours at 03:30; the next day starts
        // at 04:00 from zero.
        #expect(s.summary == ["03:30 daily_limit sitting=10800", "07:00 daily_limit sitting=10800"])
    }

    @Test func dailyLimitCountsOnlySittingAndFiresOnceADay() {
        let schedule = Schedule(dailyLimit: 3600, kinds: [BreakKind(name: "walk", every: 36000, duration: 300)])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.at("09:30", .lock)
        s.at("10:00", .unlock)
        s.end("12:00")
        #expect(s.summary.filter { $0.contains("daily_limit") } == ["10:30 daily_limit sitting=3600"])
    }

    @Test func dailyLimitWithheldByAPauseFiresWhenItEnds() {
        let schedule = Schedule(dailyLimit: 3600, kinds: [BreakKind(name: "walk", every: 36000, duration: 300)])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.at("09:50", .pause(.duration(1200)))
        s.end("10:30")
        #expect(s.summary == ["09:50 paused until=10:10", "10:10 resumed", "10:10 daily_limit sitting=4200"])
    }

    @Test func dailyLimitStillWithheldAtTheDayEndIsDropped() {
        let schedule = Schedule(
            dayStartsMinute: 240, dailyLimit: 10800, kinds: [BreakKind(name: "walk", every: 36000, duration: 300)])
        var s = Scenario(schedule)
        s.at("00:30", .active)
        s.at("03:00", .pause(.duration(5400)))
        s.end("05:00")
        #expect(s.summary == ["03:00 paused until=04:30", "04:30 resumed"])
    }
}
