import SitbreakConfig
import SitbreakEngine
import SitbreakHistory
import SitbreakTesting
import Testing

@testable import SitbreakDaemon

/// A wall-clock step while sitting, and what the history store makes of it: `stats` counts each
/// second sat once (neither the step itself as sitting, nor sitting taken back by a step
/// backwards; no span ending before it starts), and `history` lists the events in time order.
///
/// Why not the real `sitbreakd` with a real step: CLOCK_REALTIME is one clock for the whole
/// machine. A time namespace (`unshare --time`) offsets only CLOCK_MONOTONIC and CLOCK_BOOTTIME,
/// and the daemon has no injected wall clock, so a real step would move the clock of every other
/// test and process on the machine (only a step of zero is harmless:
/// `PresenceChainDaemonTests.aWallClockSetIsNoticed` proves the daemon notices one). So this runs
/// one level below, on the code the daemon runs after a step: ``DaemonCore`` fed the batches
/// the daemon's loop would make (the step at the engine's instant before it, via
/// ``DaemonCore/wallClockStepped(by:at:)`` as `Daemon.wallClockChanged` calls it, then the next
/// batch on the corrected clock), each batch's plan written by ``DaemonHistory`` into a real
/// SQLite store, and the day read back with the statistics `stats` answers from.
@Suite struct ClockStepHistoryTests {
    static let nine = Timestamp(secondsSinceEpoch: 1_750_000_000 / 86400 * 86400 + 9 * 3600)
    static let always = (from: Timestamp(secondsSinceEpoch: 0), to: Timestamp(secondsSinceEpoch: 1 << 40))
    static let days = LocalDays(dayStartsMinute: 0, timeZone: FixedOffsetTimeZone.utc)

    /// The daemon's core and history writer on a store in a temporary directory.
    final class Run {
        let directory: TemporaryDirectory
        var core = DaemonCore(
            configuration: Configuration(schedule: Schedules.traces), source: "test.toml",
            timeZone: FixedOffsetTimeZone.utc)
        let history: DaemonHistory
        /// Every event the batches reported, in the order the daemon reported them.
        var reported: [Event] = []

        init() throws {
            directory = try TemporaryDirectory(prefix: "sitbreak-clockstep")
            history = DaemonHistory(
                path: directory.path + "/history.sqlite3", keep: nil, now: ClockStepHistoryTests.nine,
                log: RecordingEventLog())
        }

        deinit { directory.remove() }

        /// The end of one loop batch at `now`, as `Daemon.finishBatch()` carries it out.
        func batch(at now: Timestamp) {
            let plan = core.endBatch(at: now)
            history.append(events: plan.events, changes: plan.changes, now: now)
            reported += plan.events
        }

        /// Input every minute from `start` to `end` (each one batch).
        func sit(from start: Timestamp, to end: Timestamp) {
            var t = start
            while t <= end {
                core.apply(.presence(.active), at: t)
                batch(at: t)
                t = t + 60
            }
        }
    }

    /// Ten minutes sat, the clock stepped by `delta`, fifteen more sat, then the screen locked:
    /// 25 minutes of sitting whichever way the clock went, the posture reminder (every 20 min) on
    /// the corrected clock 20 minutes after sitting began.
    @Test(arguments: [3600, 600, -1800, -120] as [Seconds])
    func aStepWhileSittingCountsEverySecondSatOnce(delta: Seconds) throws {
        let run = try Run()
        run.sit(from: Self.nine, to: Self.nine + 600)
        // The step: the daemon settles the engine at its instant before the step, moves the
        // engine's instants, and ends the batch on the corrected clock.
        run.core.wallClockStepped(by: delta, at: Self.nine + 600)
        let after = Self.nine + 600 + delta
        run.batch(at: after)
        run.sit(from: after + 60, to: after + 900)
        run.core.apply(.presence(.lock), at: after + 900)
        run.batch(at: after + 900)

        let store = try #require(run.history.store)
        let spans = try store.spans(from: Self.always.from, to: Self.always.to)
        #expect(
            spans.allSatisfy { span in span.end.map { $0 >= span.start } ?? false }, "closed, none negative: \(spans)")
        #expect(spans.reduce(0) { $0 + ($1.end! - $1.start) } == 1500, "the spans sum to the time sat: \(spans)")

        // The day as `stats` reports it once the clock has passed every instant recorded.
        let date = Self.days.day(containing: Self.nine).date
        let day = try #require(
            try run.history.statistics(
                days: Self.days, kindNames: ["walk", "posture"], first: date, last: date,
                now: Self.days.day(containing: Self.nine).end
            ).first)
        #expect(day.sittingSeconds == 1500, "25 minutes sat, counted once: \(spans)")
        #expect(day.sittingByHour.reduce(0, +) == 1500)
        #expect(day.kinds.first { $0.kind == "posture" }?.reminders == 1)

        // `history` lists what was stored in time order, and nothing is lost.
        let listed = try store.events(from: Self.always.from, to: Self.always.to)
        #expect(zip(listed, listed.dropFirst()).allSatisfy { $0.time <= $1.time }, "\(listed.map(\.time))")
        #expect(listed.map(\.type).sorted() == run.reported.map(\.name).sorted())
        let reminder = try #require(listed.first { $0.type == "reminder" })
        #expect(reminder.time == Self.nine + 1200 + delta, "20 minutes of sitting, on the corrected clock")
    }
}
