import SitbreakEngine
import SitbreakStats
import SitbreakTesting
import Testing

@Suite("Day statistics agree with the engine's daily_limit meter")
struct MeterPropertyTests {
    /// After each `active` input the engine counts the day's sitting exactly (no provisional idle
    /// is pending), so the day's statistics so far must equal its `daily_limit` meter, whatever the
    /// trace, the zone and the start of the day.
    @Test("on generated traces, after every active input", arguments: 1...24)
    func agree(seed: UInt64) {
        let schedule = Schedules.with(Schedules.traces) {
            $0.dailyLimit = 4 * 3600
            $0.dayStartsMinute = Int(seed % 4) * 390  // 00:00, 06:30, 13:00, 19:30
        }
        let zone: any LocalTimeZone = seed % 2 == 0 ? EuropeanSummerTimeZone() : FixedOffsetTimeZone(offset: -5 * 3600)
        var generator = TraceGenerator(kindNames: ["walk", "posture"], seed: seed)
        // Starting late in March crosses a clock change within the trace.
        let (steps, _) = generator.trace(count: 400, start: Timestamp(secondsSinceEpoch: 1_774_500_000))
        var engine = Engine(schedule: schedule, timeZone: zone)
        var statistics = DayStatisticsAccumulator(schedule: schedule, timeZone: zone, start: steps[0].time)
        var compared = 0
        for step in steps {
            for event in engine.apply(step.input, at: step.time) { statistics.record(event) }
            for change in engine.takePresenceChanges() { statistics.record(change) }
            guard step.input == .presence(.active), !engine.isSuspended else { continue }
            let t = step.time + 1
            let meter = engine.daySittingSeconds(at: t)
            let today = statistics.daysSoFar(at: t).last { $0.start <= step.time }
            #expect(meter == today?.sittingSeconds, "seed \(seed) at \(step.time)")
            compared += 1
            for day in statistics.takeFinished(before: step.time) { _ = day }
        }
        #expect(compared > 20)
    }
}
