import SitbreakEngine
import SitbreakTesting
import Testing

/// `clockStepped(by:)`: a wall-clock step moves every instant the engine holds, so durations
/// survive it while active hours and the local day are judged on the corrected clock.
@Suite struct ClockStepTests {
    static let walk = Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300)])

    @Test func sittingTimeSurvivesAStepForward() {
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.end("09:20")
        // The clock was an hour slow: it is really 10:20, and 20 minutes were sat.
        s.engine = s.engine.clockStepped(by: 3600)
        s.end("11:00")
        #expect(s.summary == ["10:50 reminder walk nag=0", "10:55 reminder walk nag=1"])
    }

    @Test func sittingTimeSurvivesAStepBack() {
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.end("09:20")
        s.engine = s.engine.clockStepped(by: -1800)
        let status = s.engine.status(at: s.time("08:50"))
        #expect(status.sittingSince == s.time("08:30"))
        #expect(status.kinds.first?.sittingSeconds == 1200)
        s.end("09:25")
        #expect(s.summary == ["09:20 reminder walk nag=0"])
    }

    @Test func aSnoozeKeepsItsRemainingTime() {
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.at("09:50", Command.snooze(.kind("walk"), duration: 600))
        s.end("09:55")
        s.engine = s.engine.clockStepped(by: 7200)
        #expect(s.engine.status(at: s.time("11:55")).kinds.first?.snoozedUntil == s.time("12:00"))
    }

    @Test func activeHoursAreJudgedOnTheCorrectedClock() {
        let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
        let schedule = Schedules.with(Self.walk) {
            $0.activeHours = [ActiveHoursEntry(days: weekdays, startMinute: 9 * 60, endMinute: 17 * 60)]
        }
        var s = Scenario(schedule)
        s.at("16:00", .active)
        s.end("16:30")
        // The clock was an hour slow: it is really 17:30, after active hours, so the reminder that
        // 50 minutes of sitting would bring (at 17:50 on the corrected clock) never fires.
        s.engine = s.engine.clockStepped(by: 3600)
        s.end("18:30")
        #expect(s.summary == [])
    }

    @Test func aStepIntoAnotherDayRestartsTheDailyLimit() {
        let schedule = Schedules.with(Self.walk) { $0.dailyLimit = 7200 }
        var s = Scenario(schedule)
        s.at("22:00", .active)
        s.end("23:30")
        // 90 minutes sat "today"; the clock was 6 hours slow: it is really 05:30 the next day,
        // after day_starts (04:00), so the day's sitting starts again.
        s.engine = s.engine.clockStepped(by: 6 * 3600)
        let status = s.engine.status(at: s.time("+1 05:30"))
        #expect(status.kinds.first?.sittingSeconds == 5400, "the walk's sitting is not a daily count")
        s.end("+1 07:00")
        #expect(!s.summary.contains { $0.contains("daily_limit") })
    }

    @Test func zeroIsNoChange() {
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.end("09:20")
        #expect(s.engine.clockStepped(by: 0).snapshot == s.engine.snapshot)
    }
}
