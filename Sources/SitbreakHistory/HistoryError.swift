/// Why the history store could not do what it was asked, in words a person can act on; the one
/// error type of ``HistoryStore`` (SQLite's result codes and errno become this at one seam).
public struct HistoryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure, for callers that react differently (the daemon logs a full disk once).
    public enum Code: Hashable, Sendable {
        /// The file could not be opened or created (permissions, a symbolic link, no directory).
        case cannotOpen
        /// The file was written by a newer sitbreak (its schema version is higher than this one's).
        case newerSchema
        /// The file is an SQLite database of something else (another `application_id`).
        case notHistory
        /// The file is damaged (and, opened read-only, could not be set aside).
        case corrupt
        /// The disk is full or read-only.
        case cannotWrite
        /// No history file yet (read-only open).
        case missing
        /// Any other SQLite failure.
        case sqlite
    }

    /// The kind of failure.
    public var code: Code
    /// The file.
    public var path: String
    /// What went wrong (SQLite's or the system's message, and what to do where there is something).
    public var message: String

    /// Creates an error.
    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
