import SitbreakEngine

// STUB (interface fixed): the systemd helper replaces the bodies.

/// Severity of a daemon log line, as syslog/journald priorities.
public enum LogPriority: Int, Sendable {
    case error = 3, warning = 4, notice = 5, info = 6, debug = 7
}

/// Where the daemon reports engine events and its own messages (DESIGN.md §4): structured
/// journald entries, or readable lines on stderr when stderr is a terminal or no journal socket
/// exists.
public protocol EventLog: Sendable {
    /// One engine event as one entry (journald: MESSAGE, PRIORITY, MESSAGE_ID, SITBREAK_* fields).
    func record(_ event: Event)
    /// A message of the daemon itself (start, reload, errors).
    func log(_ priority: LogPriority, _ message: String)
}

/// Chooses the journal or stderr as DESIGN.md §4 says.
public enum EventLogs {
    /// journald when stderr is not a terminal and `/run/systemd/journal/socket` exists, else stderr.
    public static func automatic() -> any EventLog { StderrEventLog() }
}

/// Readable lines on stderr: `09:50:00 reminder walk (nag 0): Time for a short walk.`
public struct StderrEventLog: EventLog {
    /// Creates the log.
    public init() {}
    public func record(_ event: Event) {}
    public func log(_ priority: LogPriority, _ message: String) {}
}
