import SitbreakEngine
import SitbreakTesting
import Testing

/// Snapshots let the daemon continue after a restart exactly where it stopped.
@Suite struct SnapshotTests {
    @Test(arguments: PropertyTests.cases)
    func restoringASnapshotContinuesIdentically(c: PropertyTests.Case) {
        let zone = EuropeanSummerTimeZone()
        let uninterrupted = TraceGenerator.simulate(c.schedule, timeZone: zone, steps: c.steps, end: c.end)
        // Stop after every fifth input, save, restore into a fresh engine, go on.
        var engine = Engine(schedule: c.schedule, timeZone: zone)
        var events: [Event] = []
        for (i, step) in c.steps.enumerated() {
            events += engine.apply(step.input, at: step.time)
            if i % 5 == 4 && !engine.isSuspended {
                engine = Engine(schedule: c.schedule, timeZone: zone, snapshot: engine.snapshot)
            }
        }
        events += engine.advance(before: c.end)
        #expect(events == uninterrupted)
    }

    @Test func aReloadKeepsKindsByNameAndStartsNewOnesFromZero() {
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.at("09:30", .snooze(.kind("walk"), duration: 3600))
        let reloaded = Schedule(kinds: [
            BreakKind(name: "walk", every: 3000, duration: 300),
            BreakKind(name: "eyes", every: 600, duration: 0),
        ])
        var engine = s.engine.reconfigured(with: reloaded)
        let status = engine.status(at: s.time("09:40"))
        #expect(status.kinds.map(\.kind.name) == ["walk", "eyes"])
        #expect(status.kinds[0].sittingSeconds == 2400)
        #expect(status.kinds[0].snoozedUntil == s.time("10:30"))
        #expect(status.kinds[1].sittingSeconds == 600)  // counted from the reload at 09:30
        #expect(status.sittingSince == s.time("09:00"))
        let events = engine.advance(through: s.time("09:41"))
        #expect(events.map(\.name) == ["reminder"])
    }

    @Test func statusShowsTheNextReminderAndThePause() {
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.at("09:10", .pause(.duration(1800)))
        let status = s.engine.status(at: s.time("09:15"))
        #expect(status.present)
        #expect(status.pausedUntil == s.time("09:40"))
        #expect(status.kinds.map(\.nextReminder) == [s.time("09:50"), s.time("09:40")])
        #expect(status.kinds.map(\.sittingSeconds) == [900, 900])
    }
}
