import Glibc
import SitbreakSystem

/// A D-Bus operation that failed: a libsystemd call's negative errno (a ``SystemError``), or an
/// error reply.
///
/// ``BusError/check(_:_:)`` is the one place in this module where libsystemd's `-errno`
/// convention becomes a typed error.
public struct BusError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was attempted, e.g. `GetSession("auto") on org.freedesktop.login1`.
    public var operation: String
    /// The positive errno, when libsystemd reported one.
    public var code: Int32
    /// The D-Bus error name of an error reply (`org.freedesktop.login1.NoSuchSession`), if any.
    public var name: String?
    /// The error reply's message, if any.
    public var message: String?

    /// Creates an error.
    public init(operation: String, code: Int32, name: String? = nil, message: String? = nil) {
        self.operation = operation
        self.code = code
        self.name = name
        self.message = message
    }

    public var description: String {
        if let name {
            return "\(operation): \(message.map { "\($0) (\(name))" } ?? name)"
        }
        return SystemError(operation, code: code).description
    }

    /// The errno failure, for an error that is not an error reply.
    public var systemError: SystemError? { name == nil ? SystemError(operation, code: code) : nil }

    /// Wraps an errno failure.
    public init(_ error: SystemError) {
        self.init(operation: error.operation, code: error.code)
    }

    /// Returns `result` when it is not negative; a negative result is `-errno` and throws.
    @discardableResult
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(BusError) -> Int32 {
        guard result < 0 else { return result }
        throw BusError(operation: operation(), code: -result)
    }
}
