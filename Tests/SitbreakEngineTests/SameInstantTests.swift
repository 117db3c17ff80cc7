import SitbreakEngine
import SitbreakTesting
import Testing

/// Same-instant order: the engine settles its own timed work at an instant, applies every input
/// of that instant in order, and only then fires what those inputs released, so a later input of
/// the same instant can still withhold it.
@Suite struct SameInstantTests {
    static let walkLimit = Schedule(dailyLimit: 3600, kinds: [BreakKind(name: "walk", every: 36000, duration: 300)])

    @Test func aPauseRightAfterTheReturnWithholdsTheReleasedNag() {
        // The walk's nag 1 is withheld while the person is away (09:52–09:56); `active` at 09:56
        // releases it, and the pause that follows at the same instant withholds it again.
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.at("09:52", .idle)
        s.at("09:56", .active)
        s.at("09:56", .pause(.duration(1800)))
        s.end("10:40")
        #expect(
            s.summary == [
                "09:20 reminder posture nag=0", "09:40 reminder posture nag=0", "09:50 reminder walk nag=0",
                "09:54 away since=09:52", "09:56 back away=240", "09:56 paused until=10:26",
                // The pause ends: the withheld nag fires then, covering the posture nudge that fell
                // due at 10:16 during the pause.
                "10:26 resumed", "10:26 reminder walk nag=1 covers=posture", "10:31 reminder walk nag=2",
                "10:36 reminder walk nag=3",
            ])
    }

    @Test func resumingRemindersThenPausingAtTheSameInstantWithholds() {
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.at("09:45", .pause(.duration(1800)))
        s.at("10:05", .resumeReminders)
        s.at("10:05", .pause(.duration(600)))
        s.end("10:16")
        #expect(
            s.summary == [
                "09:20 reminder posture nag=0", "09:40 reminder posture nag=0", "09:45 paused until=10:15",
                "10:05 resumed", "10:05 paused until=10:15", "10:15 resumed",
                "10:15 reminder walk nag=0 covers=posture",
            ])
    }

    @Test func aSnoozeRightAfterAResumeAndTheReturnWithholds() {
        // Three minutes suspended is no walk (five); the walk stays due, and its nag, released by
        // `active` at the resume instant, is withheld by the snooze that follows.
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.at("09:53", .suspend)
        s.at("09:56", .resume)
        s.at("09:56", .active)
        s.at("09:56", .snooze(.kind("walk"), duration: nil))
        s.end("10:07")
        #expect(
            s.summary == [
                "09:20 reminder posture nag=0", "09:40 reminder posture nag=0", "09:50 reminder walk nag=0",
                "09:56 away since=09:53", "09:56 back away=180", "09:56 snoozed walk until=10:06",
                "10:06 reminder walk nag=0",
            ])
    }

    @Test func aPauseRightAfterAnUnlockWithholdsTheReleasedDailyLimit() {
        var s = Scenario(Self.walkLimit)
        s.at("09:00", .active)
        s.at("09:30", .pause(.duration(3600)))
        s.at("10:20", .lock)
        s.at("10:40", .unlock)
        s.at("10:40", .pause(.duration(1800)))
        s.end("11:30")
        #expect(
            s.summary == [
                "09:30 paused until=10:30", "10:20 away since=10:20", "10:25 break_taken walk natural away=300",
                "10:30 resumed",
                "10:40 back away=1200",
                "10:40 paused until=11:10", "11:10 resumed", "11:10 daily_limit sitting=6600",
            ])
    }

    @Test func liveTheReleasedReminderFiresAtTheEndOfTheBatch() {
        // The daemon settles the instant once its batch of inputs is applied.
        var engine = Engine(schedule: Schedules.traces)
        func at(_ clock: String) -> Timestamp { Timestamp(rfc3339: "2026-11-30T\(clock):00Z")! }
        _ = engine.apply(.presence(.active), at: at("09:00"))
        _ = engine.apply(.presence(.idle), at: at("09:52"))
        _ = engine.advance(through: at("09:55"))
        let back = engine.apply(.presence(.active), at: at("09:56"))
        #expect(back.map(\.name) == ["back"])
        #expect(engine.nextDeadline == at("09:56"))
        let released = engine.advance(through: at("09:56"))
        #expect(released.map(\.name) == ["reminder"])
        #expect(released.first?.time == at("09:56"))
    }

    /// Withholding at the instant of release, on generated traces: after the inputs of any
    /// instant, a `pause` at that same instant withholds every reminder and `daily_limit` they
    /// released. The engine is driven as the daemon drives it, each instant settled before its
    /// inputs and again after them.
    @Test func aPauseAtTheInstantOfReleaseAlwaysWithholds() {
        var released = 0
        for c in PropertyTests.cases {
            var engine = Engine(schedule: c.schedule, timeZone: EuropeanSummerTimeZone())
            var index = c.steps.startIndex
            while index < c.steps.endIndex {
                let time = c.steps[index].time
                var group: [Input] = []
                while index < c.steps.endIndex && c.steps[index].time == time {
                    group.append(c.steps[index].input)
                    index += 1
                }
                _ = engine.advance(through: time)
                var probe = engine
                var withheld: [Event] = []
                for input in group { withheld += probe.apply(input, at: time) }
                withheld += probe.apply(.command(.pause(.duration(3600))), at: time)
                withheld += probe.advance(through: time)
                let fired = withheld.filter { $0.name == "reminder" || $0.name == "daily_limit" }
                #expect(fired.isEmpty, "seed \(c.seed) at \(time.rfc3339): \(fired.map(\.jsonLine))")

                var events: [Event] = []
                for input in group { events += engine.apply(input, at: time) }
                events += engine.advance(through: time)
                if events.contains(where: { $0.name == "reminder" || $0.name == "daily_limit" }) { released += 1 }
            }
        }
        // The traces do release reminders at input instants, so the property is not vacuous.
        #expect(released > 0)
    }
}
