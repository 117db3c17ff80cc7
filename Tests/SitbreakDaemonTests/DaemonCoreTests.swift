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

/// How long a restart says the daemon was down: only what is proven counts
/// (``DaemonCore/downtimeAbsence(after:restart:idleThreshold:)``).
@Suite struct DowntimeTests {
    static let nine = DaemonCoreTests.nine
    static let threshold: Seconds = 120

    /// A state saved at nine, in boot `boot`, by a daemon that stopped at `stoppedAt` (nil: crashed).
    static func saved(boot: String? = "A", stoppedAt: Timestamp? = nil) -> SavedState {
        var engine = Engine(schedule: Schedules.traces)
        _ = engine.apply(.presence(.active), at: nine)
        return SavedState(snapshot: engine.snapshot, bootID: boot, stoppedAt: stoppedAt)
    }

    static func facts(
        at now: Timestamp, boot: String? = "A", bootedAt: Timestamp = nine - 86400, beat: Timestamp? = nil
    )
        -> DaemonCore.RestartFacts
    {
        DaemonCore.RestartFacts(now: now, bootID: boot, bootedAt: bootedAt, lastBeat: beat)
    }

    static func absence(_ saved: SavedState, _ facts: DaemonCore.RestartFacts) -> Timestamp? {
        DaemonCore.downtimeAbsence(after: saved, restart: facts, idleThreshold: threshold)
    }

    @Test func aCleanStopShorterThanTheIdleThresholdChangesNothing() {
        #expect(Self.absence(Self.saved(stoppedAt: Self.nine + 30), Self.facts(at: Self.nine + 31)) == nil)
        #expect(Self.absence(Self.saved(stoppedAt: Self.nine + 30), Self.facts(at: Self.nine + 149)) == nil)
    }

    @Test func aCleanStopAtLeastTheIdleThresholdIsAnAbsenceFromTheStop() {
        #expect(Self.absence(Self.saved(stoppedAt: Self.nine + 30), Self.facts(at: Self.nine + 150)) == Self.nine + 30)
        #expect(
            Self.absence(Self.saved(stoppedAt: Self.nine + 30), Self.facts(at: Self.nine + 3600, boot: "B"))
                == Self.nine + 30, "a clean stop before a reboot is exact too")
    }

    @Test(arguments: [31, 600, 86400 as Int64])
    func aCrashInTheSameBootIsNoAbsenceHoweverLongAgoTheLastSave(_ later: Int64) {
        // The last save or heartbeat proves the daemon alive then, not dead since.
        #expect(Self.absence(Self.saved(), Self.facts(at: Self.nine + later, beat: Self.nine + 10)) == nil)
    }

    @Test func aCrashBeforeARebootCountsFromTheBootAtTheEarliest() {
        let bootedAt = Self.nine + 500
        let facts = Self.facts(at: Self.nine + 700, boot: "B", bootedAt: bootedAt, beat: Self.nine + 20)
        #expect(Self.absence(Self.saved(), facts) == bootedAt)
        let quick = Self.facts(at: bootedAt + 60, boot: "B", bootedAt: bootedAt)
        #expect(Self.absence(Self.saved(), quick) == nil, "a reboot of 60 s is shorter than the idle threshold")
    }

    @Test func withoutBootIDsABootAfterTheLastProofOfLifeProvesAReboot() {
        let rebooted = Self.facts(at: Self.nine + 900, boot: nil, bootedAt: Self.nine + 600)
        #expect(Self.absence(Self.saved(boot: nil), rebooted) == Self.nine + 600)
        let sameBoot = Self.facts(at: Self.nine + 900, boot: nil, bootedAt: Self.nine - 600)
        #expect(Self.absence(Self.saved(boot: nil), sameBoot) == nil)
    }

    @Test func anAbsenceNeverStartsBeforeTheSaveNorAfterNow() {
        // A stop time before the snapshot's instant (a clock step) is clamped to the snapshot.
        #expect(Self.absence(Self.saved(stoppedAt: Self.nine - 500), Self.facts(at: Self.nine + 200)) == Self.nine)
        #expect(Self.absence(Self.saved(stoppedAt: Self.nine + 900), Self.facts(at: Self.nine + 200)) == nil)
    }

    @Test func anEngineThatNeverRanHasNoDowntime() {
        let fresh = SavedState(snapshot: Engine(schedule: Schedules.traces).snapshot, bootID: "A", stoppedAt: nil)
        #expect(Self.absence(fresh, Self.facts(at: Self.nine, boot: "B", bootedAt: Self.nine - 10)) == nil)
    }
}

/// What a state file may hold: every integer and instant is range-checked, so no value traps in
/// later arithmetic (issue 9, item 4).
@Suite struct StateFileRangeTests {
    static func decoded(_ edit: (inout EngineSnapshot) -> Void) -> Result<SavedState, StateFileError> {
        var engine = Engine(schedule: Schedules.traces)
        _ = engine.apply(.presence(.active), at: DaemonCoreTests.nine)
        var snapshot = engine.snapshot
        edit(&snapshot)
        return SavedState.decode(SavedState(snapshot: snapshot, bootID: "A", stoppedAt: nil).json)
    }

    @Test func anOrdinaryStateRoundTrips() throws {
        var engine = Engine(schedule: Schedules.traces)
        _ = engine.apply(.presence(.active), at: DaemonCoreTests.nine)
        let state = SavedState(snapshot: engine.snapshot, bootID: "A", stoppedAt: DaemonCoreTests.nine + 5)
        #expect(try SavedState.decode(state.json).get() == state)
    }

    /// One out-of-range value each.
    enum Extreme: String, CaseIterable, Sendable {
        case hugeBanked, negativeBanked, nowPast2262, snoozePast2242, hugeNag, negativeCount, pauseBefore1970

        func apply(to s: inout EngineSnapshot) {
            switch self {
            case .hugeBanked: s.kinds[0].banked = Int64.max
            case .negativeBanked: s.kinds[0].banked = -1
            case .nowPast2262: s.now = Timestamp(secondsSinceEpoch: 9_300_000_000)
            case .snoozePast2242: s.kinds[0].snoozedUntil = Timestamp(secondsSinceEpoch: 1 << 34)
            case .hugeNag: s.kinds[0].seriesNextNag = Int.max
            case .negativeCount: s.kinds[0].remindersEmitted = -5
            case .pauseBefore1970: s.pausedUntil = Timestamp(secondsSinceEpoch: Int64.min / 2)
            }
        }
    }

    @Test(arguments: Extreme.allCases)
    func anOutOfRangeValueIsRefusedWithItsName(_ extreme: Extreme) {
        guard case .failure(let error) = Self.decoded(extreme.apply) else {
            Issue.record("\(extreme) was accepted")
            return
        }
        #expect(error.description.contains("="), "\(error)")
    }

    @Test func theEnginesOwnSentinelsAreAccepted() {
        // A fresh engine holds "never" (distant past) for instants it has not seen.
        let fresh = SavedState(snapshot: Engine(schedule: Schedules.traces).snapshot, bootID: nil, stoppedAt: nil)
        #expect((try? SavedState.decode(fresh.json).get()) == fresh)
    }

    @Test(arguments: [Int64.max, 9_223_372_036 * 1_000_000_000, -Int64.max] as [Int64])
    func engineTimeSaturatesInsteadOfTrapping(_ offset: Int64) {
        let time = Daemon.engineTime(boottimeNanoseconds: 1 << 62, offset: offset)
        #expect(throws: DaemonError.self) { try Daemon.checkClock(time) }
    }
}
