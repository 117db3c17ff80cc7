/// Dates swayidle's `idle` on the daemon's clock. The compositor's idle timer runs on
/// CLOCK_MONOTONIC, which stops during suspend, while reports are on CLOCK_BOOTTIME: an `idle`
/// fires one timeout of *awake* time after the last input.
///
/// Without a suspend in between, the last input is simply now − timeout. With one, the timer
/// started before the suspend and finished after it: the person left before the machine slept,
/// and the engine already counts the suspend as absence. now − timeout would then fall inside the
/// suspend, a wrong instant (and an `idle` during an absence stands for input when its instant is
/// later than the input the engine knows of, docs/engine.md §2), so such an `idle` is not reported.
struct SwayidleClock {
    /// How much CLOCK_BOOTTIME − CLOCK_MONOTONIC may move without a suspend (reading two clocks
    /// is not atomic).
    static let tolerance: Int64 = 500_000_000

    /// CLOCK_BOOTTIME − CLOCK_MONOTONIC when the compositor's timer last restarted as far as the
    /// source knows: at swayidle's start and at each `active`.
    private(set) var offsetAtTimerStart: Int64

    /// Starts with the clocks at swayidle's start.
    init(boottime: Int64, monotonic: Int64) {
        offsetAtTimerStart = boottime - monotonic
    }

    /// Input came (an `active`): the compositor's timer restarts.
    mutating func timerRestarted(boottime: Int64, monotonic: Int64) {
        offsetAtTimerStart = boottime - monotonic
    }

    /// The CLOCK_BOOTTIME instant of the last input for an `idle` seen at these clock readings
    /// after `timeout` nanoseconds, or nil when a suspend came between the timer's start and now.
    func lastInput(boottime: Int64, monotonic: Int64, timeout: Int64) -> Int64? {
        guard boottime - monotonic - offsetAtTimerStart <= Self.tolerance else { return nil }
        return boottime - timeout
    }
}
