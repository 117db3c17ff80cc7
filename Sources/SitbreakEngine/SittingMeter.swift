/// Sitting time since some reset, counting while the person is present (provisionally during
/// idle that is not yet recognised as absence).
struct SittingMeter: Hashable, Sendable {
    /// Sitting time banked before the current stretch.
    var banked: Seconds = 0
    /// Start of the current stretch of presence counted by this meter; nil while absent.
    var runningSince: Timestamp?

    /// Sitting time at `time`.
    func value(at time: Timestamp) -> Seconds {
        guard let runningSince else { return banked }
        return banked + max(0, time - runningSince)
    }

    /// Starts from zero at `time`; counts on only if the person is present.
    mutating func reset(at time: Timestamp, running: Bool) {
        banked = 0
        runningSince = running ? time : nil
    }

    /// Stops counting at an absence that began at `start`, taking back what was counted after it
    /// (the back-dated part of an idle absence; nothing if the meter restarted after `start`).
    mutating func stop(absenceStart start: Timestamp) {
        guard let runningSince else { return }
        banked += max(0, start - runningSince)
        self.runningSince = nil
    }

    /// Starts counting at `time` (the person is back).
    mutating func start(at time: Timestamp) {
        if runningSince == nil { runningSince = time }
    }
}
