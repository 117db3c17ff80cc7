import SitbreakEngine
import SitbreakSimulator
import SitbreakTesting
import Testing

/// Traces spanning centuries: events stream as they are produced, and empty stretches cost the
/// engine nothing per day.
@Suite("Traces over long spans")
struct LongSpanTests {
    /// Active hours and a daily limit: the rules that once woke the engine at every day's edges.
    static let busy = Schedule(
        dayStartsMinute: 240, dailyLimit: 7 * 3600,
        activeHours: [
            ActiveHoursEntry(
                days: [.monday, .tuesday, .wednesday, .thursday, .friday], startMinute: 480, endMinute: 1110),
            ActiveHoursEntry(days: [.saturday], startMinute: 600, endMinute: 780),
        ],
        kinds: Schedules.threeKinds.kinds)

    struct Enough: Error {}

    @Test("a century of sitting streams its events: the first ones come before the engine has gone far")
    func centuryStreams() throws {
        var runner = TraceRunner(schedule: Self.busy, timeZone: FixedOffsetTimeZone.utc)
        let start = Timestamp(rfc3339: "2026-11-30T09:00:00Z")!
        runner.apply(TraceStep(time: start, action: .input(.presence(.active)))) { _ in }
        var seen = 0
        // Stop after a thousand events: with events gathered until the end, none would arrive
        // before a century of them had been produced.
        #expect(throws: Enough.self) {
            try runner.apply(TraceStep(time: Timestamp(rfc3339: "2126-11-30T09:00:00Z")!, action: .end)) {
                (_: Event) throws(Enough) in
                seen += 1
                if seen == 1000 { throw Enough() }
            }
        }
        #expect(seen == 1000)
        // A thousand events take weeks of sitting, not a century.
        let reached = try #require(runner.engine.currentTime)
        #expect(reached - start < 90 * 86400)
        #expect(runner.settledInstants < 4 * 1000)
    }

    @Test(
        "an absence to the year 9999 takes a bounded number of engine steps",
        arguments: ["idle", "lock", "suspend"])
    func absenceToTheEndOfTime(word: String) throws {
        let text = """
            2026-11-30T09:00:00Z active
            2026-11-30T09:30:00Z \(word)
            9999-12-31T23:59:59Z end
            """
        let steps = try TraceParser.parse(text: text, file: "forever.trace")
        var runner = TraceRunner(schedule: Self.busy, timeZone: FixedOffsetTimeZone.utc)
        var events: [Event] = []
        for step in steps { runner.apply(step) { events.append($0) } }
        #expect(runner.isFinished)
        // Away, then the three kinds reset (a nudge silently): no day or active-hours edge over
        // eight thousand years costs a step.
        #expect(runner.settledInstants < 20)
        #expect(events.count < 10)
        #expect(events.allSatisfy { $0.time < Timestamp(rfc3339: "2026-12-01T00:00:00Z")! })
    }

    @Test("after a long absence, the day's sitting starts at the return")
    func returnAfterYears() throws {
        let lines = try Simulator.run(
            text: """
                2026-11-30T09:00:00Z active
                2026-11-30T09:30:00Z lock
                2126-12-02T09:00:00Z unlock
                2126-12-02T17:00:00Z end
                """,
            file: "years.trace", schedule: Self.busy, timeZone: FixedOffsetTimeZone.utc)
        // Seven hours of sitting from the unlock at 09:00 (a Monday): the limit at 16:00.
        let limits = lines.filter { $0.contains(#""event":"daily_limit""#) }
        #expect(limits == [#"{"time":"2126-12-02T16:00:00Z","event":"daily_limit","sitting_s":25200}"#])
    }
}
