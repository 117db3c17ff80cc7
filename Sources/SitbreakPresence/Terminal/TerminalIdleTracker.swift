import SitbreakEngine

/// The decisions of ``TerminalIdleSource``, without the file system or a timer: given the time
/// and the terminal's access time, what to tell the engine and when to look again.
///
/// A terminal has no idle notification, so it is polled, but adaptively (docs/design.md §1): after
/// reading an access time `A`, nothing can change the answer before `A + threshold` except new
/// input, which only postpones idleness; so the next look is exactly then. Once idle, new input
/// cannot be predicted, and the tracker looks every `recheck` (a trade of wake-ups for the
/// latency of `back`). The recheck defaults to half the threshold so that input is seen while it
/// is still recent (`active`, then `idle` one threshold after it); a recheck as long as the
/// threshold would find a keystroke just after a look already a threshold old.
///
/// All instants are CLOCK_REALTIME nanoseconds, the clock of `st_atime`.
struct TerminalIdleTracker {
    /// What the tracker believes the engine was last told.
    enum State: Equatable {
        /// Nothing yet: the first look decides.
        case unknown
        /// Input within the threshold; `.active` was delivered.
        case active(lastInput: Int64)
        /// No input within the threshold; `.idle` was delivered (or nothing, if idle from the start).
        case idle(lastInput: Int64)
    }

    /// The outcome of one look.
    struct Decision: Equatable {
        /// The input for the engine, if the answer changed.
        var deliver: Presence?
        /// When to look next.
        var nextCheck: Int64
    }

    /// How long without input before the terminal counts as idle.
    ///
    /// The engine's `idle_threshold`: `idle` is reported with the access time as the last input,
    /// so the engine back-dates the absence to it. On a real tty the threshold must exceed the
    /// kernel's coarsening of a tty's access time (it moves only when it would change by 8 s or
    /// more), or steady typing looks idle; a threshold of minutes does.
    let thresholdNanoseconds: Int64
    /// How often to look while idle.
    let recheckNanoseconds: Int64
    private(set) var state: State = .unknown

    /// Creates a tracker; `recheck` defaults to half the threshold.
    init(thresholdNanoseconds: Int64, recheckNanoseconds: Int64? = nil) {
        precondition(thresholdNanoseconds > 0, "the idle threshold must be positive")
        self.thresholdNanoseconds = thresholdNanoseconds
        self.recheckNanoseconds = max(1, recheckNanoseconds ?? thresholdNanoseconds / 2)
    }

    /// The machine woke: the engine counts the person as away until the next input, so an access
    /// time from before the sleep is not new input; the next newer one is reported as `active`.
    mutating func machineResumed(accessTime: Int64) {
        state = .idle(lastInput: accessTime)
    }

    /// One look at `now`, when the terminal's access time is `accessTime`.
    mutating func check(now: Int64, accessTime: Int64) -> Decision {
        // An access time in the future (the wall clock was stepped back, or `touch -d`) is taken
        // as input now; trusting it could put the next look hours away.
        let lastInput = min(accessTime, now)
        let idleAt = lastInput + thresholdNanoseconds
        if now < idleAt {
            if case .idle(let previous) = state, lastInput <= previous {
                // Not newer than what the engine counts as before the absence: nothing new.
                return Decision(deliver: nil, nextCheck: now + recheckNanoseconds)
            }
            let deliver: Presence? = if case .active = state { nil } else { .active }
            state = .active(lastInput: lastInput)
            return Decision(deliver: deliver, nextCheck: idleAt)
        }
        let deliver: Presence?
        switch state {
        case .active:
            deliver = .idle
        case .unknown:
            // Idle before the daemon ever saw input: the person counts as absent until the first
            // input (docs/engine.md §2); an `idle` now would say they typed now.
            deliver = nil
        case .idle(let previous):
            // Input came and went between two looks (a late look, or a recheck longer than the
            // threshold): `idle` reports that input and that none followed, which ends the
            // absence as the input should.
            deliver = lastInput > previous ? .idle : nil
        }
        state = .idle(lastInput: lastInput)
        return Decision(deliver: deliver, nextCheck: now + recheckNanoseconds)
    }
}
