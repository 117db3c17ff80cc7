/// An error reply of the control protocol: a stable machine-readable `code` and a sentence.
public struct ProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable codes (docs/protocol.md lists what each means).
    public enum Code: String, Sendable, CaseIterable {
        /// The line is not JSON.
        case malformedJSON = "malformed-json"
        /// JSON, but not a request object with a string `cmd`.
        case invalidRequest = "invalid-request"
        /// `cmd` names no command.
        case unknownCommand = "unknown-command"
        /// An argument is missing or has the wrong form.
        case badArgument = "bad-argument"
        /// The engine's rules refused the command (e.g. `max_snoozes` reached); nothing changed.
        case refused
        /// The line exceeded the length limit; the connection is closed.
        case lineTooLong = "line-too-long"
        /// The daemon already serves as many clients as it allows; the connection is closed.
        case tooManyClients = "too-many-clients"
        /// The peer is not the daemon's own user; the connection is closed.
        case permissionDenied = "permission-denied"
        /// A reload failed; the running configuration stays.
        case reloadFailed = "reload-failed"
        /// Known but not available in this version.
        case unsupported
    }

    /// What kind of error.
    public var code: Code
    /// A sentence a person can act on.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `CODE: MESSAGE`.
    public var description: String { "\(code.rawValue): \(message)" }

    /// The `error` member of a reply.
    public var json: JSONValue {
        .object([("code", .string(code.rawValue)), ("message", .string(message))])
    }
}
