import SitbreakConfig
import SitbreakEngine
import SitbreakTesting
import Testing

@testable import SitbreakDaemon

/// The daemon's end-of-batch rules, without a socket, a file or a clock: what a batch saves,
/// reports and announces, and the `STATUS=` line.
@Suite struct DaemonCoreTests {
    static let nine = Timestamp(secondsSinceEpoch: 1_750_000_000 / 86400 * 86400 + 9 * 3600)

    static func core(_ schedule: Schedule = Schedules.traces) -> DaemonCore {
        DaemonCore(
            configuration: Configuration(schedule: schedule), source: "test.toml", timeZone: FixedOffsetTimeZone.utc)
    }

    @Test func aBatchWithoutChangeSavesAndReportsNothing() {
        var core = Self.core()
        _ = core.endBatch(at: Self.nine)
        let plan = core.endBatch(at: Self.nine + 1)
        #expect(plan.save == nil)
        #expect(plan.events.isEmpty)
        #expect(!plan.announceState)
        #expect(plan.statusLine == nil, "an unchanged STATUS= line is not sent again")
    }

    @Test func presenceChangesGoWithTheBatchAndSurviveAnEngineRebuilt() {
        var core = Self.core()
        _ = core.endBatch(at: Self.nine)
        core.apply(.presence(.active), at: Self.nine)
        #expect(core.endBatch(at: Self.nine + 1).changes == [.sitting(since: Self.nine)])
        core.apply(.presence(.lock), at: Self.nine + 60)
        // A time-zone change (or clock step, reload) rebuilds the engine: its changes are taken first.
        core.rebuildEngine { $0.timeZoneChanged() }
        let plan = core.endBatch(at: Self.nine + 61)
        #expect(plan.changes == [.absent(since: Self.nine + 60, learnedAt: Self.nine + 60)])
        #expect(plan.save != nil)
        #expect(core.endBatch(at: Self.nine + 62).changes.isEmpty, "changes are handed out once")
    }

    @Test func eventsOfABatchAreSavedThenReportedOnceInOrder() {
        var core = Self.core()
        _ = core.endBatch(at: Self.nine)
        let first = core.apply(.presence(.active), at: Self.nine)
        let second = core.apply(.presence(.lock), at: Self.nine + 60)
        let plan = core.endBatch(at: Self.nine + 60)
        #expect(!second.isEmpty)
        #expect(plan.events.map(\.name) == (first + second).map(\.name))
        #expect(plan.save == core.engine.snapshot, "the state the events describe is what gets saved")
        #expect(plan.announceState)
        #expect(core.endBatch(at: Self.nine + 61).events.isEmpty, "events are reported once")
    }

    @Test func aChangeWithoutEventsIsStillSaved() {
        var core = Self.core()
        _ = core.endBatch(at: Self.nine)
        core.markChanged()
        let plan = core.endBatch(at: Self.nine)
        #expect(plan.save != nil)
        #expect(plan.events.isEmpty)
    }

    @Test func theSettledEngineGivesTheDeadlineAndItsReminders() {
        var core = Self.core()
        core.apply(.presence(.active), at: Self.nine)
        let first = core.endBatch(at: Self.nine)
        #expect(first.nextDeadline == Self.nine + 1200)
        #expect(first.statusLine == "sitting since 09:00 · posture at 09:20")
        // The batch at the deadline settles the engine there and reports the reminder.
        let due = core.endBatch(at: Self.nine + 1200)
        #expect(due.events.map(\.name).contains("reminder"))
        #expect(due.save != nil)
    }

    @Test(arguments: [
        (Input.presence(.suspend), "suspended"),
        (Input.command(.pause(.duration(3600))), "waiting for the first input · paused until 10:00"),
    ])
    func statusLines(input: Input, expected: String) {
        var core = Self.core()
        core.apply(input, at: Self.nine)
        #expect(core.endBatch(at: Self.nine).statusLine == expected)
    }
}
