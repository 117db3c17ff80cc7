/// What `sitbreakctl status` shows: a read-only view of the engine at an instant.
public struct EngineStatus: Hashable, Sendable {
    /// The instant of the view.
    public var time: Timestamp
    /// Counted as sitting (not absent).
    public var present: Bool
    /// Start of the current absence, if absent (nil before the first input).
    public var awaySince: Timestamp?
    /// Start of the current stretch of sitting, if present.
    public var sittingSince: Timestamp?
    /// Told of a suspend and not yet of the resume.
    public var suspended: Bool
    /// The screen is locked.
    public var locked: Bool
    /// Reminders are paused until then.
    public var pausedUntil: Timestamp?
    /// Per kind, in schedule order.
    public var kinds: [Kind]

    /// One kind's view.
    public struct Kind: Hashable, Sendable {
        /// The kind's settings.
        public var kind: BreakKind
        /// Sitting time since its last reset.
        public var sittingSeconds: Seconds
        /// Due (sat `every`, or already reminded).
        public var due: Bool
        /// The next reminder's nag number if a series is unfinished.
        public var nextNag: Int?
        /// When the next reminder would fire if the person keeps sitting (ignoring active hours).
        public var nextReminder: Timestamp?
        /// Snoozed until then.
        public var snoozedUntil: Timestamp?
        /// Snoozes used since the last reset.
        public var snoozes: Int
    }
}

extension Engine {
    /// A view of the engine at `time` (its current instant or later; nothing is settled).
    public func status(at time: Timestamp) -> EngineStatus {
        let at = max(time, now ?? time)
        let present = absence == nil
        let paused = pausedUntil.flatMap { $0 > at ? $0 : nil }
        return EngineStatus(
            time: at, present: present,
            awaySince: absence.flatMap { $0.silent ? nil : $0.start },
            sittingSince: presentSince, suspended: suspension != nil, locked: locked, pausedUntil: paused,
            kinds: kinds.map { state in
                let sitting = state.meter.value(at: at)
                let snoozed = state.snoozedUntil.flatMap { $0 > at ? $0 : nil }
                var next: Timestamp?
                if let series = state.series {
                    let dueAt = state.isDue(at: at) ? at : at + (state.kind.every - sitting)
                    next = [series.notBefore, dueAt, snoozed ?? at, paused ?? at].max()
                } else {
                    let multiple = Int64(state.multiplesReached + 1) * state.kind.every
                    next = [at + (multiple - sitting), snoozed ?? at, paused ?? at].max()
                }
                return .init(
                    kind: state.kind, sittingSeconds: sitting, due: state.isDue(at: at),
                    nextNag: state.series?.nextNag, nextReminder: next, snoozedUntil: snoozed,
                    snoozes: state.snoozeCount)
            })
    }
}
