import Glibc

/// A failed system call: what was attempted and the errno text, e.g.
/// `bind /run/user/1000/sitbreak/control.sock: Address already in use`.
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the daemon tried to do, with the path or object concerned.
    public var operation: String
    /// The errno value.
    public var code: Int32

    /// Creates an error from an errno value.
    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// Creates an error from the current `errno`.
    public static func errno(_ operation: String) -> SystemError {
        SystemError(operation, code: Glibc.errno)
    }

    /// The errno text (`strerror`).
    public var reason: String { String(cString: strerror(code)) }

    public var description: String { "\(operation): \(reason)" }
}
