import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The logind idle source against python3-dbusmock's logind (issue 4: "IdleHint"), and its
/// decisions (``LogindIdleTracker``) with injected clocks.
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct LogindIdleSourceTests {
    static let second: Int64 = 1_000_000_000

    @Test func idleHintGivesIdleBackDatedToTheHintThenActive() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let session = try logind.addSession("_32")
        try logind.getSessionReturns(session)
        let recorder = try PresenceRecorder()
        let source = LogindIdleSource()
        try source.start(recorder.context(idleThresholdNanoseconds: 120 * Self.second, environment: logind.environment))
        defer { source.stop() }
        #expect(recorder.words == ["active"], "a session without the idle hint is active at start")
        #expect(source.description.hasPrefix("logind IdleHint of \(session)"))

        // The desktop set the hint 30 s ago (in CLOCK_MONOTONIC µs, as logind stamps it).
        let monotonicNow = SystemClock.monotonicNanoseconds()
        let boottimeNow = SystemClock.boottimeNanoseconds()
        let hintMonotonic = monotonicNow - 30 * Self.second
        try logind.setIdle(session, true, sinceMonotonicMicroseconds: UInt64(hintMonotonic / 1000))
        recorder.run(until: 2)
        #expect(recorder.words == ["active", "idle"])
        guard case .idle(let lastInput)? = recorder.reports.last else {
            Issue.record("not idle: \(recorder.reports)")
            return
        }
        let expected = hintMonotonic + (boottimeNow - monotonicNow)
        #expect(abs(lastInput - expected) < 5_000_000, "idle is back-dated to the hint, on CLOCK_BOOTTIME")

        try logind.setIdle(
            session, false, sinceMonotonicMicroseconds: UInt64(SystemClock.monotonicNanoseconds() / 1000))
        recorder.run(until: 3)
        #expect(recorder.words == ["active", "idle", "active"])
    }

    @Test func idleAtStartIsReportedOnlyWithinTheThreshold() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let session = try logind.addSession("_32")
        try logind.getSessionReturns(session)
        let tenSecondsAgo = UInt64((SystemClock.monotonicNanoseconds() - 10 * Self.second) / 1000)
        try logind.setIdle(session, true, sinceMonotonicMicroseconds: tenSecondsAgo)

        let within = try PresenceRecorder()
        let first = LogindIdleSource()
        try first.start(within.context(idleThresholdNanoseconds: 60 * Self.second, environment: logind.environment))
        first.stop()
        #expect(within.words == ["idle"], "the hint's instant is input the engine has not seen")

        let beyond = try PresenceRecorder()
        let second = LogindIdleSource()
        try second.start(beyond.context(idleThresholdNanoseconds: 5 * Self.second, environment: logind.environment))
        second.stop()
        #expect(beyond.words == [], "idle beyond the threshold at start is absence until input")
    }

    @Test func afterAResumeTheNextClearedHintIsActiveAgain() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let session = try logind.addSession("_32")
        try logind.getSessionReturns(session)
        let recorder = try PresenceRecorder()
        let source = LogindIdleSource()
        try source.start(recorder.context(idleThresholdNanoseconds: 120 * Self.second, environment: logind.environment))
        defer { source.stop() }
        #expect(recorder.words == ["active"])

        source.machineResumed()
        // A hint stamped before the wake is no input; a cleared hint is, although `active` was
        // the last report.
        let beforeWake = UInt64((SystemClock.monotonicNanoseconds() - 5 * Self.second) / 1000)
        try logind.setIdle(session, true, sinceMonotonicMicroseconds: beforeWake)
        recorder.run(until: 2, timeout: 1)
        #expect(recorder.words == ["active"])
        try logind.setIdle(session, false, sinceMonotonicMicroseconds: 0)
        recorder.run(until: 2)
        #expect(recorder.words == ["active", "active"])
    }

    // MARK: - Decisions

    static let clocks = LogindIdleTracker.Clocks(boottime: 5_000 * second, monotonic: 4_000 * second)

    /// µs on CLOCK_MONOTONIC for `seconds` before ``clocks``.
    static func monotonicMicroseconds(secondsAgo seconds: Int64) -> UInt64 {
        UInt64((clocks.monotonic - seconds * second) / 1000)
    }

    @Test func theHintsInstantMovesToBoottime() {
        #expect(
            LogindIdleTracker.boottime(
                ofMonotonicMicroseconds: Self.monotonicMicroseconds(secondsAgo: 30), clocks: Self.clocks)
                == Self.clocks.boottime - 30 * Self.second)
        #expect(LogindIdleTracker.boottime(ofMonotonicMicroseconds: 0, clocks: Self.clocks) == Self.clocks.boottime)
        #expect(
            LogindIdleTracker.boottime(
                ofMonotonicMicroseconds: Self.monotonicMicroseconds(secondsAgo: -10), clocks: Self.clocks)
                == Self.clocks.boottime, "never later than now")
    }

    @Test func transitionsAreReportedOnce() {
        var tracker = LogindIdleTracker(thresholdNanoseconds: 120 * Self.second)
        let clocks = Self.clocks
        #expect(tracker.update(idleHint: false, sinceMonotonicMicroseconds: 0, clocks: clocks) == .active)
        #expect(tracker.update(idleHint: false, sinceMonotonicMicroseconds: 0, clocks: clocks) == nil)
        let since = Self.monotonicMicroseconds(secondsAgo: 300)
        #expect(
            tracker.update(idleHint: true, sinceMonotonicMicroseconds: since, clocks: clocks)
                == .idle(lastInputBoottimeNanoseconds: clocks.boottime - 300 * Self.second),
            "the engine gets the instant even when it is beyond the threshold")
        #expect(tracker.update(idleHint: true, sinceMonotonicMicroseconds: since, clocks: clocks) == nil)
        let later = Self.monotonicMicroseconds(secondsAgo: 20)
        #expect(
            tracker.update(idleHint: true, sinceMonotonicMicroseconds: later, clocks: clocks)
                == .idle(lastInputBoottimeNanoseconds: clocks.boottime - 20 * Self.second),
            "a newer hint while idle reports the input between")
        #expect(tracker.update(idleHint: false, sinceMonotonicMicroseconds: 0, clocks: clocks) == .active)
    }

    @Test func afterAResumeOnlyAClearedHintOrOneSetAfterTheWakeIsInput() {
        var tracker = LogindIdleTracker(thresholdNanoseconds: 120 * Self.second)
        let clocks = Self.clocks
        #expect(tracker.update(idleHint: false, sinceMonotonicMicroseconds: 0, clocks: clocks) == .active)
        tracker.machineResumed(monotonicNanoseconds: clocks.monotonic - 60 * Self.second)
        #expect(
            tracker.update(
                idleHint: true, sinceMonotonicMicroseconds: Self.monotonicMicroseconds(secondsAgo: 90), clocks: clocks)
                == nil)
        #expect(tracker.update(idleHint: true, sinceMonotonicMicroseconds: 0, clocks: clocks) == nil)
        #expect(
            tracker.update(
                idleHint: true, sinceMonotonicMicroseconds: Self.monotonicMicroseconds(secondsAgo: 30), clocks: clocks)
                == .idle(lastInputBoottimeNanoseconds: clocks.boottime - 30 * Self.second),
            "a hint set after the wake follows input after it")

        tracker.machineResumed(monotonicNanoseconds: clocks.monotonic)
        #expect(tracker.update(idleHint: false, sinceMonotonicMicroseconds: 0, clocks: clocks) == .active)
        tracker.machineResumed(monotonicNanoseconds: clocks.monotonic)
        #expect(
            tracker.update(idleHint: false, sinceMonotonicMicroseconds: 0, clocks: clocks) == .active,
            "active again, although active was the last report")
    }

    @Test(arguments: [(10, true), (119, true), (120, false), (600, false)])
    func idleAtStartIsInputOnlyWithinTheThreshold(secondsAgo: Int64, reported: Bool) {
        var tracker = LogindIdleTracker(thresholdNanoseconds: 120 * Self.second)
        let report = tracker.update(
            idleHint: true, sinceMonotonicMicroseconds: Self.monotonicMicroseconds(secondsAgo: secondsAgo),
            clocks: Self.clocks)
        #expect(
            report
                == (reported
                    ? .idle(lastInputBoottimeNanoseconds: Self.clocks.boottime - secondsAgo * Self.second) : nil))
        #expect(tracker.state == .idle(since: Self.clocks.boottime - secondsAgo * Self.second))
    }
}
