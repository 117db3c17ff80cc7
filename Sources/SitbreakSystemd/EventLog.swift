import CSystemd
import Glibc
import SitbreakEngine
import SitbreakSystem

/// Severity of a daemon log line, as syslog/journald priorities.
public enum LogPriority: Int, Sendable {
    /// Something failed (a reload, a bind).
    case error = 3
    /// Something is wrong but the daemon carries on (a rejected configuration).
    case warning = 4
    /// Worth a person's attention: reminders use it.
    case notice = 5
    /// Ordinary progress: start, reload, stop.
    case info = 6
    /// Detail for debugging.
    case debug = 7

    /// The lower-case syslog name: `error`, `warning`, `notice`, `info`, `debug`.
    public var name: String {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .notice: "notice"
        case .info: "info"
        case .debug: "debug"
        }
    }
}

/// Where the daemon reports engine events and its own messages (docs/design.md §4): structured
/// journald entries, or readable lines on stderr when stderr is a terminal or no journal socket
/// exists.
public protocol EventLog: Sendable {
    /// One engine event as one entry (journald: MESSAGE, PRIORITY, MESSAGE_ID, SITBREAK_* fields).
    func record(_ event: Event)
    /// A message of the daemon itself (start, reload, errors).
    func log(_ priority: LogPriority, _ message: String)
    /// One engine event with the sitting time of the local day so far (journald:
    /// `SITBREAK_TODAY_SITTING_S`, nil when the daemon keeps no history).
    func record(_ event: Event, todaySittingSeconds: Seconds?)
}

extension EventLog {
    /// Logs without a place for the day's sitting time record the event alone.
    public func record(_ event: Event, todaySittingSeconds: Seconds?) {
        record(event)
    }
}

/// Chooses the journal or stderr as docs/design.md §4 says.
public enum EventLogs {
    /// Where journald listens for structured entries (`sd_journal_sendv` sends there).
    public static let journalSocketPath = "/run/systemd/journal/socket"

    /// The two places entries can go.
    public enum Destination: Sendable, Equatable {
        /// Structured entries through `sd_journal_sendv`.
        case journal
        /// Readable lines on standard error.
        case standardError
    }

    /// journald when stderr is not a terminal and `/run/systemd/journal/socket` exists, else stderr.
    public static func automatic() -> any EventLog {
        let destination = choose(
            standardErrorIsTerminal: isatty(STDERR_FILENO) == 1,
            journalSocketExists: access(journalSocketPath, F_OK) == 0
        )
        switch destination {
        case .journal: return JournalEventLog()
        case .standardError: return StderrEventLog()
        }
    }

    /// The rule behind ``automatic()``: someone watching a terminal wants to read lines there, and
    /// without a journal socket `sd_journal_sendv` would succeed and deliver nothing.
    public static func choose(standardErrorIsTerminal: Bool, journalSocketExists: Bool) -> Destination {
        standardErrorIsTerminal || !journalSocketExists ? .standardError : .journal
    }
}

/// Structured journald entries through `sd_journal_sendv` (docs/design.md §4).
///
/// Holds no C handle: libsystemd keeps one process-wide datagram socket to journald and
/// serializes its use itself, so this value can be shared and called from any thread.
public struct JournalEventLog: EventLog {
    private let zone: any LocalTimeZone

    /// Creates the log; clock times in messages are in `timeZone` (glibc's `TZ` rules by default).
    public init(timeZone: any LocalTimeZone = GlibcTimeZone()) {
        zone = timeZone
    }

    /// Sends the event's ``SitbreakEngine/Event/journalFields(in:)``. If libsystemd refuses the
    /// entry, the event goes to stderr instead (with the reason), so a person can still find it.
    public func record(_ event: Event) {
        record(event, extra: [])
    }

    /// Sends the event's fields and `SITBREAK_TODAY_SITTING_S` (left out when nil).
    public func record(_ event: Event, todaySittingSeconds: Seconds?) {
        record(event, extra: todaySittingSeconds.map { [JournalField("SITBREAK_TODAY_SITTING_S", String($0))] } ?? [])
    }

    /// Sends the event's fields followed by `extra`.
    private func record(_ event: Event, extra: [JournalField]) {
        do {
            try Self.send(event.journalFields(in: zone) + extra)
        } catch {
            let fallback = StderrEventLog(timeZone: zone)
            fallback.record(event)
            fallback.log(.warning, "journal entry not sent: \(error)")
        }
    }

    /// Sends `MESSAGE`, `PRIORITY` and `SYSLOG_IDENTIFIER=sitbreakd`; stderr if that fails.
    public func log(_ priority: LogPriority, _ message: String) {
        do {
            try Self.send(Self.logFields(priority, message))
        } catch {
            let fallback = StderrEventLog(timeZone: zone)
            fallback.log(priority, message)
            fallback.log(.warning, "journal entry not sent: \(error)")
        }
    }

    /// The fields of one of the daemon's own lines.
    public static func logFields(_ priority: LogPriority, _ message: String) -> [JournalField] {
        [
            JournalField("MESSAGE", message),
            JournalField("PRIORITY", String(priority.rawValue)),
            JournalField("SYSLOG_IDENTIFIER", sitbreakSyslogIdentifier),
        ]
    }

    /// Sends one entry made of `fields` through `sd_journal_sendv`.
    ///
    /// Success means only that the datagram was handed over: libsystemd reports success even when
    /// no journald listens, so only reading the entry back proves delivery.
    public static func send(_ fields: [JournalField]) throws(SystemError) {
        guard !fields.isEmpty else { return }
        // All fields in one buffer, then an iovec per field pointing into it: one allocation, and
        // every pointer valid for the whole call.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(fields.reduce(0) { $0 + $1.name.utf8.count + 1 + $1.value.utf8.count })
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(fields.count)
        for field in fields {
            assert(JournalField.isValidName(field.name), "journald would drop the field \(field.name)")
            let start = buffer.count
            buffer.append(contentsOf: field.name.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer.append(contentsOf: field.value.utf8)
            ranges.append(start..<buffer.count)
        }
        let result = buffer.withUnsafeMutableBytes { bytes -> Int32 in
            let vectors = ranges.map { iovec(iov_base: bytes.baseAddress! + $0.lowerBound, iov_len: $0.count) }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
        try SystemError.check(result, "sd_journal_sendv")
    }
}

/// Readable lines on stderr: `09:50:00 reminder walk (nag 0): Time for a short walk. …`.
///
/// For a person running `sitbreakd` in a terminal, and for machines without journald. Times are
/// local wall-clock times, like a terminal's clock.
public struct StderrEventLog: EventLog {
    private let zone: any LocalTimeZone

    /// Creates the log with glibc's local time zone (`TZ`, else `/etc/localtime`).
    public init() {
        self.init(timeZone: GlibcTimeZone())
    }

    /// Creates the log with clock times in `timeZone`.
    public init(timeZone: any LocalTimeZone) {
        zone = timeZone
    }

    /// Writes ``line(for:in:)``.
    public func record(_ event: Event) {
        Self.write(Self.line(for: event, in: zone))
    }

    /// Writes ``line(_:_:at:in:)`` stamped with the current time.
    public func log(_ priority: LogPriority, _ message: String) {
        Self.write(Self.line(priority, message, at: Timestamp(secondsSinceEpoch: Int64(time(nil))), in: zone))
    }

    /// `HH:MM:SS event [kind][ (nag N)]: sentence`, e.g.
    /// `09:55:00 break_taken walk: Walk break taken (away 6 minutes, before any reminder).`
    public static func line(for event: Event, in zone: some LocalTimeZone) -> String {
        var head = clock(event.time, in: zone) + " " + event.name
        if let kind = event.body.kind { head += " " + kind }
        if case .reminder(let r) = event.body { head += " (nag \(r.nag))" }
        return head + ": " + event.sentence(in: zone)
    }

    /// `HH:MM:SS priority: message`, e.g. `09:00:00 warning: config.toml:3: unknown key`.
    public static func line(
        _ priority: LogPriority, _ message: String, at instant: Timestamp, in zone: some LocalTimeZone
    )
        -> String
    {
        clock(instant, in: zone) + " " + priority.name + ": " + message
    }

    /// `HH:MM:SS` of `instant` in `zone`.
    public static func clock(_ instant: Timestamp, in zone: some LocalTimeZone) -> String {
        ClockText.hoursMinutesSeconds(secondOfDay: ClockText.localDayAndSecond(of: instant, in: zone).secondOfDay)
    }

    /// One `write(2)` for the whole line, so lines from several threads never interleave; retried
    /// on EINTR and after a partial write.
    private static func write(_ line: String) {
        var text = line
        text.append("\n")
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // stderr closed or full: nowhere left to report it.
                }
            }
        }
    }
}
