import SitbreakEngine

// STUB (interface fixed): the systemd helper replaces the bodies.

/// Talks to the service manager through `sd_notify` (DESIGN.md §4): readiness, a status line,
/// watchdog pings, reloading and stopping. Does nothing when `NOTIFY_SOCKET` is unset.
public struct ServiceNotifier: Sendable {
    /// Reads `NOTIFY_SOCKET` and `WATCHDOG_USEC` from the environment.
    public init() {}

    /// Half of `WatchdogSec` in milliseconds when the watchdog is on for this process (the ping
    /// interval), else nil.
    public var watchdogPingIntervalMilliseconds: Int64? { nil }

    /// `READY=1` (optionally with `STATUS=`).
    public func ready(status: String? = nil) {}
    /// `STATUS=line`.
    public func status(_ line: String) {}
    /// `WATCHDOG=1`.
    public func watchdog() {}
    /// `RELOADING=1` with `MONOTONIC_USEC=` now.
    public func reloading() {}
    /// `STOPPING=1`.
    public func stopping() {}
}
