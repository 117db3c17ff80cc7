/// The decisions of ``LogindIdleSource``, without the bus: given a session's `IdleHint` and
/// `IdleSinceHintMonotonic` and the clocks, what to tell the engine.
///
/// logind stamps the hint with CLOCK_MONOTONIC microseconds; reports are CLOCK_BOOTTIME
/// nanoseconds. The two clocks differ by the time spent suspended since boot, which is the same
/// for any instant since the last resume, so `boottime = monotonic + (boottimeNow − monotonicNow)`.
/// (An instant from before a suspend converts to one too late by that suspend; it is clamped to
/// now.)
struct LogindIdleTracker {
    /// Both clocks read at one instant, in nanoseconds.
    struct Clocks: Equatable {
        /// CLOCK_BOOTTIME.
        var boottime: Int64
        /// CLOCK_MONOTONIC.
        var monotonic: Int64
    }

    /// What the tracker believes the engine was last told.
    enum State: Equatable {
        /// Nothing yet: the first hint decides.
        case unknown
        /// Not idle: `active` was delivered.
        case active
        /// Idle since `since` (boottime ns): `idle` was delivered, or nothing when already idle
        /// beyond the threshold at start.
        case idle(since: Int64)
        /// The machine woke at `monotonic` (CLOCK_MONOTONIC ns): the engine counts the person away
        /// until input, which is a cleared hint or a hint set after the wake.
        case resumed(monotonic: Int64)
    }

    /// How long without input counts as absence (the engine's `idle_threshold`), in nanoseconds.
    let thresholdNanoseconds: Int64
    private(set) var state: State = .unknown

    /// Creates a tracker for the engine's idle threshold.
    init(thresholdNanoseconds: Int64) {
        self.thresholdNanoseconds = thresholdNanoseconds
    }

    /// The CLOCK_BOOTTIME instant of a CLOCK_MONOTONIC microsecond stamp, never later than now; a
    /// stamp of 0 (logind's "unknown") is now.
    static func boottime(ofMonotonicMicroseconds stamp: UInt64, clocks: Clocks) -> Int64 {
        guard stamp > 0, stamp < UInt64(Int64.max / 1000) else { return clocks.boottime }
        return min(clocks.boottime, Int64(stamp) * 1000 + (clocks.boottime - clocks.monotonic))
    }

    /// The machine woke from a suspend at `monotonicNanoseconds`. The engine counts the person
    /// away until the next input, so a cleared hint must be reported again even if `active` was
    /// the last report, and a hint stamped before the sleep is no input. (Its stamp would convert
    /// to an instant after the wake: CLOCK_MONOTONIC did not count the sleep.)
    mutating func machineResumed(monotonicNanoseconds: Int64) {
        state = .resumed(monotonic: monotonicNanoseconds)
    }

    /// The hint as read now: the report for the engine, if any.
    mutating func update(idleHint: Bool, sinceMonotonicMicroseconds: UInt64, clocks: Clocks) -> PresenceReport? {
        guard idleHint else {
            if state == .active { return nil }
            state = .active
            return .active
        }
        let since = Self.boottime(ofMonotonicMicroseconds: sinceMonotonicMicroseconds, clocks: clocks)
        switch state {
        case .unknown:
            state = .idle(since: since)
            // Already idle when the daemon starts: the hint's instant is input the engine has
            // not seen, worth reporting while it is within the threshold (the engine then counts
            // the absence from it); beyond, the person is absent until the first input.
            return clocks.boottime - since < thresholdNanoseconds ? .idle(lastInputBoottimeNanoseconds: since) : nil
        case .active:
            state = .idle(since: since)
            return .idle(lastInputBoottimeNanoseconds: since)
        case .resumed(let woke):
            guard sinceMonotonicMicroseconds > 0, Int64(clamping: sinceMonotonicMicroseconds) > woke / 1000 else {
                return nil
            }
            state = .idle(since: since)
            return .idle(lastInputBoottimeNanoseconds: since)
        case .idle(let previous):
            // A new stamp while idle: the desktop cleared and set the hint again between two
            // signals seen, so there was input; `idle` at the new stamp reports it.
            guard since > previous else { return nil }
            state = .idle(since: since)
            return .idle(lastInputBoottimeNanoseconds: since)
        }
    }
}
