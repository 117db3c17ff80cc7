/// The decisions of ``MutterIdleSource`` without the bus: which watches to hold, and what to report
/// when one fires.
///
/// Mutter keeps an idle watch registered and fires it each time the idle time reaches its interval
/// (it re-arms itself at the next input); a user-active watch fires once, at the next input, and
/// is then gone. So the plan holds one idle watch with the threshold for as long as the source
/// runs, and a user-active watch only while the person is idle. No idle watch is added while the
/// person is already idle at start: its deadline (last input + interval) being past, Mutter would
/// fire it at once, which would claim input one threshold ago.
struct MutterWatchPlan {
    /// The two kinds of watch.
    enum Watch: Equatable {
        /// `AddIdleWatch(threshold)`.
        case idle
        /// `AddUserActiveWatch()`.
        case userActive
    }

    /// What the source does next, in order.
    enum Step: Equatable {
        /// Tell the engine.
        case report(PresenceReport)
        /// Register a watch and give its id to ``added(_:id:)``.
        case add(Watch)
    }

    /// How long without input before the person is idle.
    let thresholdNanoseconds: Int64
    /// The idle watch's id, once registered.
    private(set) var idleWatch: UInt32?
    /// The pending user-active watch's id.
    private(set) var userActiveWatch: UInt32?
    /// Whether the person is idle as far as the engine was told (or, at start, not yet active).
    private(set) var idle = false
    /// When the machine last woke while the source ran (CLOCK_BOOTTIME).
    private(set) var resumedAt: Int64?

    /// Creates a plan for `thresholdNanoseconds` (rounded to Mutter's milliseconds by the source).
    init(thresholdNanoseconds: Int64) {
        self.thresholdNanoseconds = thresholdNanoseconds
    }

    /// The first steps, given `GetIdletime`'s answer.
    mutating func start(idleMilliseconds: UInt64) -> [Step] {
        if Int64(clamping: idleMilliseconds) < thresholdNanoseconds / 1_000_000 {
            idle = false
            return [.report(.active), .add(.idle)]
        }
        // Already idle: absent until the first input (docs/engine.md §2.6), so nothing to report yet.
        idle = true
        return [.add(.userActive)]
    }

    /// A watch was registered with `id`.
    mutating func added(_ watch: Watch, id: UInt32) {
        switch watch {
        case .idle: idleWatch = id
        case .userActive: userActiveWatch = id
        }
    }

    /// The machine woke at `now`. The engine counts the person as away until the next input, so
    /// the next input must be reported even if `active` was before the sleep: a user-active watch
    /// is needed whatever the state.
    mutating func machineResumed(now: Int64) -> [Step] {
        resumedAt = now
        idle = true
        return userActiveWatch == nil ? [.add(.userActive)] : []
    }

    /// `WatchFired(id)` arrived at CLOCK_BOOTTIME `now`.
    mutating func fired(_ id: UInt32, now: Int64) -> [Step] {
        if id == idleWatch, let resumedAt, now - thresholdNanoseconds <= resumedAt {
            // The quiet began before the resume: Mutter's idle time (on the monotonic clock) stood
            // still while the machine slept, so a watch armed before the sleep fires soon after
            // it. The engine already counts the person as away since the suspend; an `idle` now
            // would claim input at an instant before the machine woke.
            idle = true
            return userActiveWatch == nil ? [.add(.userActive)] : []
        }
        if id == idleWatch {
            // Fired while already idle, the watch was re-armed by input that came and went between
            // the previous firing and the user-active watch's registration: `idle` reports that
            // input and the quiet since, as on the first firing.
            idle = true
            var steps: [Step] = [.report(.idle(lastInputBoottimeNanoseconds: now - thresholdNanoseconds))]
            if userActiveWatch == nil { steps.append(.add(.userActive)) }
            return steps
        }
        guard id == userActiveWatch else { return [] }
        userActiveWatch = nil
        var steps: [Step] = idle ? [.report(.active)] : []
        idle = false
        if idleWatch == nil { steps.append(.add(.idle)) }
        return steps
    }

    /// Every watch registered, for removal at stop.
    var watches: [UInt32] { [idleWatch, userActiveWatch].compactMap { $0 } }
}
