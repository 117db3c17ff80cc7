import CSystemd
import Glibc
import SitbreakSystem

/// Talks to the service manager through `sd_notify` (docs/design.md §4): readiness, a status line,
/// watchdog pings, reloading and stopping. Does nothing when `NOTIFY_SOCKET` is unset.
///
/// A plain value: it owns no descriptor. Through ``init()`` every message goes through
/// libsystemd's `sd_notify`, which reads `NOTIFY_SOCKET` itself and handles every address form
/// systemd uses; ``init(socketPath:watchdogMicroseconds:)`` sends to a given datagram socket
/// instead, so tests can receive the messages without changing the process environment (which
/// would race with every other test running in parallel).
public struct ServiceNotifier: Sendable {
    private enum Destination: Sendable {
        case environment(enabled: Bool)
        case socket(path: String)
    }

    private let destination: Destination
    private let watchdogMicroseconds: UInt64?

    /// Reads `NOTIFY_SOCKET` and `WATCHDOG_USEC` from the environment.
    ///
    /// The watchdog counts only when `WATCHDOG_PID` is unset or names this process (libsystemd's
    /// rule), so a child that inherited the variables does not ping on its parent's behalf.
    public init() {
        destination = .environment(enabled: getenv("NOTIFY_SOCKET") != nil)
        var usec: UInt64 = 0
        watchdogMicroseconds = sd_watchdog_enabled(0, &usec) > 0 && usec > 0 ? usec : nil
    }

    /// Sends to the `AF_UNIX` datagram socket bound at `socketPath`, with a watchdog of
    /// `watchdogMicroseconds` (nil: none), ignoring the environment. For tests and tools.
    public init(socketPath: String, watchdogMicroseconds: UInt64? = nil) {
        destination = .socket(path: socketPath)
        self.watchdogMicroseconds = watchdogMicroseconds
    }

    /// Whether messages go anywhere: `NOTIFY_SOCKET` was set, or a socket path was given.
    public var isEnabled: Bool {
        switch destination {
        case .environment(let enabled): enabled
        case .socket: true
        }
    }

    /// Half of `WatchdogSec` in milliseconds when the watchdog is on for this process (the ping
    /// interval), else nil.
    public var watchdogPingIntervalMilliseconds: Int64? {
        watchdogMicroseconds.map(Self.pingIntervalMilliseconds(watchdogMicroseconds:))
    }

    /// Half the watchdog timeout, in whole milliseconds (at least 1): half leaves a full interval
    /// of slack for a late wakeup before systemd declares the service hung, as sd_watchdog_enabled(3)
    /// recommends.
    public static func pingIntervalMilliseconds(watchdogMicroseconds: UInt64) -> Int64 {
        max(1, Int64(clamping: watchdogMicroseconds / 2 / 1000))
    }

    /// `READY=1` (optionally with `STATUS=`).
    public func ready(status: String? = nil) { sendIgnoringFailure(Self.readyMessage(status: status)) }
    /// `STATUS=line`.
    public func status(_ line: String) { sendIgnoringFailure(Self.statusMessage(line)) }
    /// `WATCHDOG=1`.
    public func watchdog() { sendIgnoringFailure("WATCHDOG=1") }
    /// `RELOADING=1` with `MONOTONIC_USEC=` now.
    public func reloading() { sendIgnoringFailure(Self.reloadingMessage(monotonicMicroseconds: Self.monotonicNow())) }
    /// `STOPPING=1`.
    public func stopping() { sendIgnoringFailure("STOPPING=1") }

    /// Sends `state` (newline-separated `KEY=value` assignments, sd_notify(3)) as one datagram.
    /// Does nothing when ``isEnabled`` is false.
    public func send(_ state: String) throws(SystemError) {
        switch destination {
        case .environment(let enabled):
            guard enabled else { return }
            try SystemError.check(sd_notify(0, state), "sd_notify")
        case .socket(let path):
            try Self.sendDatagram(state, to: path)
        }
    }

    /// The convenience calls above drop failures on purpose: a service manager that stopped
    /// listening cannot be told anything anyway, and the daemon's reminders must go on. A manager
    /// that expected a watchdog ping restarts the service, which is the right outcome.
    private func sendIgnoringFailure(_ state: String) {
        try? send(state)
    }

    /// `READY=1`, and `STATUS=…` on its own line when given.
    public static func readyMessage(status: String?) -> String {
        guard let status else { return "READY=1" }
        return "READY=1\n" + statusMessage(status)
    }

    /// `STATUS=line`, with line feeds turned into spaces: a line feed would end the assignment and
    /// the rest would be read as another (possibly meaningful) assignment.
    public static func statusMessage(_ line: String) -> String {
        "STATUS=" + String(line.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? " " : $0 })
    }

    /// `RELOADING=1` and `MONOTONIC_USEC=…`: systemd ≥ 253 matches the reload to this timestamp.
    public static func reloadingMessage(monotonicMicroseconds: UInt64) -> String {
        "RELOADING=1\nMONOTONIC_USEC=\(monotonicMicroseconds)"
    }

    /// CLOCK_MONOTONIC now, in microseconds (the clock `MONOTONIC_USEC` is defined on).
    public static func monotonicNow() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }

    /// One datagram to a path socket; the descriptor lives only for this call.
    private static func sendDatagram(_ state: String, to path: String) throws(SystemError) {
        let address = try UnixSocketAddress(path)
        let fd = try SystemError.checkSystemCall(
            socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0), "socket")
        defer { close(fd) }
        var text = state
        let sent = text.withUTF8 { bytes in
            address.withSocketAddress {
                sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, $1)
            }
        }
        try SystemError.checkSystemCall(sent, "sendto \(path)")
    }
}
