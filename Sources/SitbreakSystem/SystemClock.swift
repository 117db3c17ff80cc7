import CLinux

/// The clocks the daemon reads (docs/design.md §1: time away is measured on CLOCK_BOOTTIME).
public enum SystemClock {
    /// CLOCK_BOOTTIME in nanoseconds: monotonic, and it keeps counting through suspend.
    public static func boottimeNanoseconds() -> Int64 { sitbreak_boottime_ns() }
    /// CLOCK_MONOTONIC in nanoseconds: stops during suspend.
    public static func monotonicNanoseconds() -> Int64 { sitbreak_monotonic_ns() }
    /// CLOCK_REALTIME in nanoseconds since the Unix epoch.
    public static func realtimeNanoseconds() -> Int64 { sitbreak_realtime_ns() }
}
