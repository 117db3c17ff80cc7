import Testing

@testable import SitbreakPresence

/// ``X11IdleTracker`` with injected instants and idle times: what it reports and when it looks.
struct X11IdleTrackerTests {
    static let second: Int64 = 1_000_000_000
    static let threshold = 120 * second
    static let t0: Int64 = 1_000 * second

    @Test func alarmsActiveNeedsNoTimerAndIdleIsBackDated() {
        var tracker = X11IdleTracker(thresholdNanoseconds: Self.threshold, mode: .alarms)
        // Input 5 s ago: active, and the rising alarm will say when idle begins.
        #expect(tracker.look(now: Self.t0, idleNanoseconds: 5 * Self.second) == .init(deliver: .active, nextLook: nil))
        // The rising alarm: idle, back-dated to the last input.
        let alarm = Self.t0 + 115 * Self.second
        #expect(
            tracker.look(now: alarm, idleNanoseconds: Self.threshold)
                == .init(deliver: .idle(lastInputBoottimeNanoseconds: Self.t0 - 5 * Self.second), nextLook: nil))
        // The falling alarm: active again.
        #expect(
            tracker.look(now: alarm + 60 * Self.second, idleNanoseconds: 0) == .init(deliver: .active, nextLook: nil))
        #expect(tracker.state == .active(lastInput: alarm + 60 * Self.second))
    }

    @Test func aLookJustBeforeTheCrossingArmsATimerInCaseTheAlarmFiredEarly() {
        var tracker = X11IdleTracker(thresholdNanoseconds: Self.threshold, mode: .alarms)
        _ = tracker.look(now: Self.t0, idleNanoseconds: 0)
        // 1 ms short of the threshold: the rising alarm may not fire again, so a timer does.
        let early = tracker.look(now: Self.t0 + Self.threshold - 1_000_000, idleNanoseconds: Self.threshold - 1_000_000)
        #expect(early == .init(deliver: nil, nextLook: Self.t0 + Self.threshold))
        // Further away, no timer.
        var other = X11IdleTracker(thresholdNanoseconds: Self.threshold, mode: .alarms)
        #expect(other.look(now: Self.t0, idleNanoseconds: Self.threshold / 2).nextLook == nil)
    }

    @Test(arguments: [X11IdleTracker.Mode.alarms, .polling(recheckNanoseconds: 1_000_000_000)])
    func idleAtTheFirstLookReportsNothingUntilInput(mode: X11IdleTracker.Mode) {
        var tracker = X11IdleTracker(thresholdNanoseconds: Self.threshold, mode: mode)
        let first = tracker.look(now: Self.t0, idleNanoseconds: 3600 * Self.second)
        #expect(first.deliver == nil, "idle before any input is absence, not input an hour ago")
        #expect(tracker.state == .idle(lastInput: Self.t0 - 3600 * Self.second))
        #expect(tracker.look(now: Self.t0 + Self.second, idleNanoseconds: 0).deliver == .active)
    }

    @Test func pollingLooksAtTheCrossingWhileActiveAndEveryRecheckWhileIdle() {
        var tracker = X11IdleTracker(
            thresholdNanoseconds: Self.threshold, mode: .polling(recheckNanoseconds: Self.second))
        // Input 20 s ago: nothing can change before it is 120 s old.
        let active = tracker.look(now: Self.t0, idleNanoseconds: 20 * Self.second)
        #expect(active == .init(deliver: .active, nextLook: Self.t0 + 100 * Self.second))
        // More input meanwhile: the crossing moves later, nothing to report.
        let later = tracker.look(now: Self.t0 + 100 * Self.second, idleNanoseconds: 30 * Self.second)
        #expect(later == .init(deliver: nil, nextLook: Self.t0 + 190 * Self.second))
        // At the crossing: idle, then a look every second.
        let idle = tracker.look(now: Self.t0 + 190 * Self.second, idleNanoseconds: Self.threshold)
        #expect(
            idle
                == .init(
                    deliver: .idle(lastInputBoottimeNanoseconds: Self.t0 + 70 * Self.second),
                    nextLook: Self.t0 + 191 * Self.second))
        let still = tracker.look(now: Self.t0 + 191 * Self.second, idleNanoseconds: 121 * Self.second)
        #expect(still == .init(deliver: nil, nextLook: Self.t0 + 192 * Self.second))
        // Input: active at the next look, and again a look at its crossing.
        let back = tracker.look(now: Self.t0 + 192 * Self.second, idleNanoseconds: Self.second / 2)
        #expect(
            back == .init(deliver: .active, nextLook: Self.t0 + 192 * Self.second - Self.second / 2 + Self.threshold))
    }

    @Test func inputThatCameAndWentBetweenTwoLooksIsReportedAsANewIdle() {
        var tracker = X11IdleTracker(thresholdNanoseconds: Self.threshold, mode: .alarms)
        _ = tracker.look(now: Self.t0, idleNanoseconds: 0)
        _ = tracker.look(now: Self.t0 + Self.threshold, idleNanoseconds: Self.threshold)
        // A look 10 min later finds input 3 min old: it came and went.
        let late = Self.t0 + Self.threshold + 600 * Self.second
        #expect(
            tracker.look(now: late, idleNanoseconds: 180 * Self.second).deliver
                == .idle(lastInputBoottimeNanoseconds: late - 180 * Self.second))
    }

    @Test func theSameInputReadAgainWithJitterIsNotReportedAgain() {
        var tracker = X11IdleTracker(
            thresholdNanoseconds: Self.threshold, mode: .polling(recheckNanoseconds: Self.second))
        _ = tracker.look(now: Self.t0, idleNanoseconds: 0)
        _ = tracker.look(now: Self.t0 + Self.threshold, idleNanoseconds: Self.threshold)
        // Read a round trip later, the server's whole milliseconds put the input 3 ms later.
        let again = tracker.look(
            now: Self.t0 + Self.threshold + Self.second + 3_000_000, idleNanoseconds: Self.threshold + Self.second)
        #expect(again.deliver == nil)
        #expect(tracker.state == .idle(lastInput: Self.t0), "the reported instant is kept")
    }

    @Test(arguments: [(120 * second, second), (2 * second, second), (1 * second, second / 2), (10_000_000, 5_000_000)])
    func theDefaultRecheckIsASecondOrHalfTheThreshold(threshold: Int64, recheck: Int64) {
        #expect(X11IdleTracker.defaultRecheck(thresholdNanoseconds: threshold) == recheck)
    }

    @Test(arguments: [X11IdleTracker.Mode.alarms, .polling(recheckNanoseconds: 1_000_000_000)])
    func afterAResumeOnlyNewerInputIsActive(mode: X11IdleTracker.Mode) {
        var tracker = X11IdleTracker(thresholdNanoseconds: Self.threshold, mode: mode)
        // Active before the sleep, 5 s since the last input when the machine slept; the server's
        // idle time stood still during the suspend, so it still reads 5 s after the resume.
        _ = tracker.look(now: Self.t0, idleNanoseconds: 5 * Self.second)
        let resumed = Self.t0 + 3600 * Self.second
        tracker.machineResumed(now: resumed, idleNanoseconds: 5 * Self.second)
        let stale = tracker.look(now: resumed + Self.second, idleNanoseconds: 6 * Self.second)
        #expect(stale.deliver == nil, "input from before the sleep is not new")
        // The person comes back: active.
        #expect(tracker.look(now: resumed + 30 * Self.second, idleNanoseconds: 0).deliver == .active)
    }
}
