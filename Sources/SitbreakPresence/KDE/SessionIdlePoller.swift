/// The decisions of ``KDEIdleSource``, without the bus or a timer: given the time and the session's
/// idle time, what to tell the engine and when to ask again.
///
/// KDE's screen locker tells the idle time only when asked (`GetSessionIdleTime`), so it is polled,
/// but adaptively (docs/design.md §1). After reading an idle time `I` at `now`, the last input was at
/// `now − I`; nothing but new input can change the answer before `now − I + threshold`, and new
/// input only postpones idleness, so while the person is active the next look is exactly then: one
/// look per threshold at most while typing, none in between.
///
/// While idle, the return cannot be predicted, and the recheck interval trades wake-ups for the
/// latency of `back`. It is the threshold's resolution, one second (the configuration gives
/// `idle_threshold` in whole seconds), or half the threshold when that is shorter, so that input
/// is still seen as recent (`active`, then `idle` a threshold after it) rather than already a
/// threshold old. That costs one D-Bus round trip a second while the person is away (3,600 an
/// hour; see Benchmarks/presence_gnome.sh) and none while they work.
///
/// All instants are CLOCK_BOOTTIME nanoseconds.
struct SessionIdlePoller {
    /// What the poller believes the engine was last told.
    enum State: Equatable {
        /// Nothing yet: the first look decides.
        case unknown
        /// Input within the threshold; `active` was reported.
        case active(lastInput: Int64)
        /// No input within the threshold; `idle` was reported (or nothing, if idle from the start).
        case idle(lastInput: Int64)
    }

    /// The outcome of one look.
    struct Decision: Equatable {
        /// The report for the engine, if the answer changed.
        var report: PresenceReport?
        /// When to look next.
        var nextLook: Int64
    }

    /// The recheck interval while idle: one second, or half the threshold when that is shorter.
    static func defaultRecheck(thresholdNanoseconds: Int64) -> Int64 {
        max(1, min(thresholdNanoseconds / 2, 1_000_000_000))
    }

    /// How far apart two readings of the same input may put it (each round trip measures the idle
    /// time a little differently): a second, or half a shorter threshold.
    var sameInputToleranceNanoseconds: Int64 { min(1_000_000_000, thresholdNanoseconds / 2) }

    /// How long without input before the person is idle.
    let thresholdNanoseconds: Int64
    /// How often to look while idle.
    let recheckNanoseconds: Int64
    private(set) var state: State = .unknown
    private var lastLook: Int64?

    /// Creates a poller; `recheck` defaults to ``defaultRecheck(thresholdNanoseconds:)``.
    init(thresholdNanoseconds: Int64, recheckNanoseconds: Int64? = nil) {
        precondition(thresholdNanoseconds > 0, "the idle threshold must be positive")
        self.thresholdNanoseconds = thresholdNanoseconds
        self.recheckNanoseconds = max(
            1, recheckNanoseconds ?? Self.defaultRecheck(thresholdNanoseconds: thresholdNanoseconds))
    }

    /// The machine woke at `now`, the session idle for `idleNanoseconds`. The engine counts the
    /// person as away until the next input, so the input seen before the sleep (the X server's idle
    /// time, which KIdleTime reads, stands still while the machine sleeps) is not new; the next
    /// newer input is reported as `active`.
    mutating func machineResumed(now: Int64, idleNanoseconds: Int64) {
        state = .idle(lastInput: now - max(0, idleNanoseconds))
        lastLook = now
    }

    /// One look at `now`, when the session has been idle for `idleNanoseconds`.
    mutating func look(now: Int64, idleNanoseconds: Int64) -> Decision {
        let previousLook = lastLook
        lastLook = now
        let lastInput = now - max(0, idleNanoseconds)
        let idleAt = lastInput + thresholdNanoseconds
        if now < idleAt {
            if case .idle(let previous) = state, lastInput <= previous + sameInputToleranceNanoseconds {
                // The input the engine counts as before the absence (after a resume): nothing new.
                return Decision(report: nil, nextLook: now + recheckNanoseconds)
            }
            let report: PresenceReport? = if case .active = state { nil } else { .active }
            state = .active(lastInput: lastInput)
            return Decision(report: report, nextLook: idleAt)
        }
        let report: PresenceReport?
        switch state {
        case .unknown:
            // Idle before the daemon saw any input: absent until the first input (docs/engine.md §2.6);
            // an `idle` now would claim input at `lastInput`.
            report = nil
        case .active:
            report = .idle(lastInputBoottimeNanoseconds: lastInput)
        case .idle:
            // Input after the previous look that is already a threshold old (a late look, after a
            // suspend or with a recheck longer than the threshold): `idle` reports that input and
            // the quiet since. Compared with the look, not the previous last input, which moves by
            // the jitter of each round trip.
            report = previousLook.map { lastInput > $0 } == true ? .idle(lastInputBoottimeNanoseconds: lastInput) : nil
        }
        state = .idle(lastInput: lastInput)
        return Decision(report: report, nextLook: now + recheckNanoseconds)
    }
}
