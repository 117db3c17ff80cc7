/// Notices a suspend that nobody announced, from the two kernel clocks (docs/design.md §5: "always
/// also the CLOCK_BOOTTIME − CLOCK_MONOTONIC gap").
///
/// CLOCK_BOOTTIME counts through suspend and CLOCK_MONOTONIC does not, so their difference is
/// constant while the machine runs and grows by exactly the time spent asleep. Comparing each
/// wake-up's sample with the previous one finds every suspend longer than the threshold, however
/// it happened (logind absent, a lid switch handled elsewhere, `echo mem > /sys/power/state`).
///
/// Pure: the caller reads the clocks and hands in samples, so tests inject them.
public struct ClockGapDetector {
    /// Both clocks read at (nearly) the same instant.
    public struct Sample: Equatable, Sendable {
        /// CLOCK_BOOTTIME.
        public var boottimeNanoseconds: Int64
        /// CLOCK_MONOTONIC.
        public var monotonicNanoseconds: Int64

        /// A sample of the two clocks.
        public init(boottimeNanoseconds: Int64, monotonicNanoseconds: Int64) {
            self.boottimeNanoseconds = boottimeNanoseconds
            self.monotonicNanoseconds = monotonicNanoseconds
        }
    }

    /// A suspend found between two samples, on CLOCK_BOOTTIME.
    public struct Gap: Equatable, Sendable {
        /// When the machine went to sleep.
        public var suspendedAtBoottimeNanoseconds: Int64
        /// When the gap was noticed: the newer sample.
        public var resumedAtBoottimeNanoseconds: Int64

        /// How long the machine slept.
        public var nanoseconds: Int64 { resumedAtBoottimeNanoseconds - suspendedAtBoottimeNanoseconds }
    }

    /// Growth of the difference at or below this is not a suspend: the two clocks are read one
    /// after the other, so the difference jitters by microseconds, and a sleep this short is no
    /// break anyway.
    let thresholdNanoseconds: Int64
    private var previous: Sample?

    /// Creates a detector with no sample yet; the first sample only sets the baseline.
    public init(thresholdNanoseconds: Int64 = 2_000_000_000) {
        self.thresholdNanoseconds = thresholdNanoseconds
    }

    /// Takes the clocks read at a wake-up; returns the suspend since the previous sample, if any.
    ///
    /// Two samples cannot say where between them the sleep fell, only how long it was. The gap
    /// is placed so that it ends at the new sample: the process was blocked in `epoll_wait`
    /// throughout, and any timer or descriptor that became due during the sleep wakes it at once
    /// on resume, so the awake time after the resume and before the sample is short, and nothing
    /// the daemon knows of happened in it.
    public mutating func observe(_ sample: Sample) -> Gap? {
        defer { previous = sample }
        guard let previous else { return nil }
        let growth =
            (sample.boottimeNanoseconds - sample.monotonicNanoseconds)
            - (previous.boottimeNanoseconds - previous.monotonicNanoseconds)
        guard growth > thresholdNanoseconds else { return nil }
        return Gap(
            suspendedAtBoottimeNanoseconds: sample.boottimeNanoseconds - growth,
            resumedAtBoottimeNanoseconds: sample.boottimeNanoseconds)
    }
}
