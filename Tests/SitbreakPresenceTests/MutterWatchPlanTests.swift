import Testing

@testable import SitbreakPresence

/// The Mutter source's decisions (issue 4): which watches it holds and what a firing reports.
@Suite struct MutterWatchPlanTests {
    static let s: Int64 = 1_000_000_000

    @Test func activeAtStartReportsActiveAndHoldsAnIdleWatch() {
        var plan = MutterWatchPlan(thresholdNanoseconds: 120 * Self.s)
        #expect(plan.start(idleMilliseconds: 5_000) == [.report(.active), .add(.idle)])
        plan.added(.idle, id: 7)
        #expect(plan.idleWatch == 7)
        #expect(plan.watches == [7])
    }

    @Test func idleAtStartReportsNothingAndWaitsForInput() {
        var plan = MutterWatchPlan(thresholdNanoseconds: 120 * Self.s)
        // Exactly the threshold is idle already.
        #expect(plan.start(idleMilliseconds: 120_000) == [.add(.userActive)])
        plan.added(.userActive, id: 1)
        // The first input: active, and only now the idle watch (Mutter would fire one added while
        // idle at once).
        #expect(plan.fired(1, now: 500 * Self.s) == [.report(.active), .add(.idle)])
        plan.added(.idle, id: 2)
        #expect(plan.watches == [2])
    }

    @Test func idleAndActiveAlternateWithAFreshUserActiveWatchEachTime() {
        var plan = MutterWatchPlan(thresholdNanoseconds: 120 * Self.s)
        _ = plan.start(idleMilliseconds: 0)
        plan.added(.idle, id: 1)
        // The idle watch fires when the quiet reached the threshold: idle back-dated by it.
        #expect(
            plan.fired(1, now: 1000 * Self.s) == [
                .report(.idle(lastInputBoottimeNanoseconds: 880 * Self.s)), .add(.userActive),
            ])
        plan.added(.userActive, id: 2)
        #expect(plan.watches == [1, 2])
        #expect(plan.fired(2, now: 1300 * Self.s) == [.report(.active)])
        #expect(plan.userActiveWatch == nil)
        // Second cycle: the same idle watch, a new user-active watch.
        #expect(
            plan.fired(1, now: 1500 * Self.s) == [
                .report(.idle(lastInputBoottimeNanoseconds: 1380 * Self.s)), .add(.userActive),
            ])
        plan.added(.userActive, id: 3)
        #expect(plan.fired(2, now: 1510 * Self.s) == [], "the old user-active watch is gone")
        #expect(plan.fired(3, now: 1600 * Self.s) == [.report(.active)])
    }

    @Test func theIdleWatchFiringAgainWhileIdleReportsTheInputBetween() {
        // Input came between the idle firing and the user-active watch's registration: Mutter
        // re-armed the idle watch, which fires again a threshold after that input.
        var plan = MutterWatchPlan(thresholdNanoseconds: 120 * Self.s)
        _ = plan.start(idleMilliseconds: 0)
        plan.added(.idle, id: 1)
        _ = plan.fired(1, now: 1000 * Self.s)
        plan.added(.userActive, id: 2)
        #expect(plan.fired(1, now: 1200 * Self.s) == [.report(.idle(lastInputBoottimeNanoseconds: 1080 * Self.s))])
        #expect(plan.watches == [1, 2], "the pending user-active watch is kept, not doubled")
    }

    @Test func afterAResumeTheNextInputIsActiveAndTheOldQuietIsNotReported() {
        var plan = MutterWatchPlan(thresholdNanoseconds: 120 * Self.s)
        _ = plan.start(idleMilliseconds: 0)
        plan.added(.idle, id: 1)
        // Active before the sleep: a user-active watch now, for the next input.
        #expect(plan.machineResumed(now: 5000 * Self.s) == [.add(.userActive)])
        plan.added(.userActive, id: 2)
        // The idle watch armed before the sleep fires soon after it: no report, which would claim
        // input before the machine woke.
        #expect(plan.fired(1, now: 5030 * Self.s) == [])
        #expect(plan.fired(2, now: 5100 * Self.s) == [.report(.active)])
        // A threshold after that input the idle watch is news again.
        #expect(
            plan.fired(1, now: 5220 * Self.s) == [
                .report(.idle(lastInputBoottimeNanoseconds: 5100 * Self.s)), .add(.userActive),
            ])
    }

    @Test func aResumeWhileIdleKeepsThePendingUserActiveWatch() {
        var plan = MutterWatchPlan(thresholdNanoseconds: 120 * Self.s)
        _ = plan.start(idleMilliseconds: 0)
        plan.added(.idle, id: 1)
        _ = plan.fired(1, now: 1000 * Self.s)
        plan.added(.userActive, id: 2)
        #expect(plan.machineResumed(now: 5000 * Self.s) == [])
        #expect(plan.fired(2, now: 5010 * Self.s) == [.report(.active)])
    }

    @Test func unknownWatchesChangeNothing() {
        var plan = MutterWatchPlan(thresholdNanoseconds: 120 * Self.s)
        _ = plan.start(idleMilliseconds: 0)
        plan.added(.idle, id: 1)
        #expect(plan.fired(99, now: 1000 * Self.s) == [])
        #expect(plan.idle == false)
    }
}

/// Lock and inhibitor states reported once per change (issue 4).
@Suite struct StateEdgeTests {
    @Test(
        arguments: [
            (false, [true, true, false, false, true], [true, nil, false, nil, true]),
            (true, [true, false, false, true], [nil, false, nil, true]),
        ] as [(Bool, [Bool], [Bool?])])
    func reportsChangesOnly(initial: Bool, readings: [Bool], reported: [Bool?]) {
        var edge = StateEdge()
        #expect(edge.start(initial) == initial, "only a yes is reported at start")
        var seen: [Bool?] = []
        for reading in readings { seen.append(edge.update(reading)) }
        #expect(seen == reported)
    }
}
