/// The decisions of ``X11IdleSource``, without an X server or a timer: given the time and the
/// server's idle time, what to tell the engine and when to look again.
///
/// After reading an idle time `I` at `now`, the answer cannot change before `now − I + threshold`
/// except by new input, which only postpones idleness. How the tracker learns of the crossing and
/// of input coming back depends on the server:
///
/// - ``Mode/alarms``: the X server's XSync IDLETIME counter carries two alarms at the threshold,
///   one rising (the person went idle) and one falling (input came back); each arrives as an
///   event on the connection, and every event is a look. No timer is needed: while the person
///   types, the daemon is not woken at all. Only a look that finds the crossing at most
///   ``alarmGraceNanoseconds`` away arms a timer for it too, in case the rising alarm fired a
///   hair early (the server counts whole milliseconds) and so will not fire again.
/// - ``Mode/polling``: without XSync, the next look is exactly at the crossing while active, and
///   every `recheck` while idle, since the return of input cannot be predicted.
///
/// Instants are CLOCK_BOOTTIME nanoseconds; the idle time is the server's, in nanoseconds.
struct X11IdleTracker {
    /// How the tracker learns of changes.
    enum Mode: Equatable {
        /// XSync alarms push both crossings.
        case alarms
        /// Looks on a timer: at the crossing while active, every `recheckNanoseconds` while idle.
        case polling(recheckNanoseconds: Int64)
    }

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
        /// The report for the engine, if the answer changed.
        var deliver: PresenceReport?
        /// When to look next on a timer; nil: only when an alarm says so.
        var nextLook: Int64?
    }

    /// How close to the crossing a look in alarm mode must be to arm a timer as well.
    static let alarmGraceNanoseconds: Int64 = 100_000_000

    /// Two readings of the last input closer than this are the same input: the instant is
    /// computed from the clock and the server's whole milliseconds, read a round trip apart.
    static let sameInputToleranceNanoseconds: Int64 = 1_000_000_000

    /// How long without input before the person counts as idle (the engine's `idle_threshold`).
    let thresholdNanoseconds: Int64
    /// How the tracker learns of changes.
    let mode: Mode
    /// What the engine was last told.
    private(set) var state: State = .unknown

    /// Creates a tracker.
    init(thresholdNanoseconds: Int64, mode: Mode) {
        precondition(thresholdNanoseconds > 0, "the idle threshold must be positive")
        self.thresholdNanoseconds = thresholdNanoseconds
        if case .polling(let recheck) = mode {
            self.mode = .polling(recheckNanoseconds: max(1, recheck))
        } else {
            self.mode = mode
        }
    }

    /// The recheck while idle when polling: a second, so that the `back` is seen within the
    /// engine's resolution (whole seconds), or half the threshold if that is shorter, so that
    /// input between two looks is still recent when seen.
    static func defaultRecheck(thresholdNanoseconds: Int64) -> Int64 {
        max(1, min(1_000_000_000, thresholdNanoseconds / 2))
    }

    /// The machine woke: the engine counts the person as away until the next input, so the input
    /// seen before the sleep (`idleNanoseconds` ago by the server, whose idle time does not run
    /// during a suspend) must not count as new; the next newer input is reported as `active`.
    mutating func machineResumed(now: Int64, idleNanoseconds: Int64) {
        state = .idle(lastInput: now - max(0, idleNanoseconds))
    }

    /// One look at `now`, when the server says no input came for `idleNanoseconds`.
    mutating func look(now: Int64, idleNanoseconds: Int64) -> Decision {
        let lastInput = now - max(0, idleNanoseconds)
        let idleAt = lastInput + thresholdNanoseconds
        if now < idleAt {
            if case .idle(let previous) = state, lastInput <= previous + Self.sameInputToleranceNanoseconds {
                // The input the engine already counts as before the absence (after a resume the
                // server's idle time stood still while the machine slept): nothing new.
                let nextLook: Int64? =
                    switch mode {
                    case .polling(let recheck): now + recheck
                    case .alarms: nil
                    }
                return Decision(deliver: nil, nextLook: nextLook)
            }
            let deliver: PresenceReport? = if case .active = state { nil } else { .active }
            state = .active(lastInput: lastInput)
            let nextLook: Int64? =
                switch mode {
                case .polling: idleAt
                case .alarms: idleAt - now <= Self.alarmGraceNanoseconds ? idleAt : nil
                }
            return Decision(deliver: deliver, nextLook: nextLook)
        }
        let deliver: PresenceReport?
        switch state {
        case .active:
            deliver = .idle(lastInputBoottimeNanoseconds: lastInput)
        case .unknown:
            // Idle before the daemon ever saw input: the person counts as absent until the first
            // input (docs/engine.md §2); an `idle` now would say they typed at that instant.
            deliver = nil
        case .idle(let previous):
            // Input came and went between two looks (a late look): `idle` reports that input and
            // that none followed, which ends the absence as the input should.
            deliver =
                lastInput > previous + Self.sameInputToleranceNanoseconds
                ? .idle(lastInputBoottimeNanoseconds: lastInput) : nil
        }
        if case .idle(let previous) = state, deliver == nil {
            state = .idle(lastInput: previous)
        } else {
            state = .idle(lastInput: lastInput)
        }
        let nextLook: Int64? =
            switch mode {
            case .polling(let recheck): now + recheck
            case .alarms: nil
            }
        return Decision(deliver: deliver, nextLook: nextLook)
    }
}
