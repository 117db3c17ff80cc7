extension Engine {
    /// Hands out the changes between sitting and absence recorded since the last call, oldest
    /// first (see ``PresenceChange``).
    ///
    /// They are kept apart from the events because they are not events (nothing a person is told
    /// of) and the event streams stay as they are; a caller that wants them takes them after each
    /// call that drives the engine. Until taken they accumulate (one per absence at most).
    public mutating func takePresenceChanges() -> [PresenceChange] {
        defer { presenceChanges = [] }
        return presenceChanges
    }

    /// The sitting time of the current local day as `daily_limit` counts it (docs/engine.md §6),
    /// at `time` (not before the engine's current instant); nil when `daily_limit` is off.
    public func daySittingSeconds(at time: Timestamp) -> Seconds? {
        day?.meter.value(at: time)
    }
}
