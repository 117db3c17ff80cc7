import Glibc

/// A failed system call: what was attempted and the errno text, e.g.
/// `bind /run/user/1000/sitbreak/control.sock: Address already in use`.
///
/// The one error type for errno failures: the libsystemd and D-Bus errors wrap it, so every
/// errno reads the same way and is turned into text in one place.
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the daemon tried to do, with the path or object concerned.
    public var operation: String
    /// The positive errno value (e.g. `ENOENT`).
    public var code: Int32

    /// Creates an error from a positive errno value.
    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// Creates an error from the current `errno`.
    public static func errno(_ operation: String) -> SystemError {
        SystemError(operation, code: Glibc.errno)
    }

    /// Returns `result` when it is not negative; a negative result is `-errno` (the convention of
    /// libsystemd and of the C shims) and throws.
    @discardableResult
    public static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(SystemError) -> Int32 {
        guard result < 0 else { return result }
        throw SystemError(operation(), code: -result)
    }

    /// Returns `result` when it is not -1; -1 (the system call convention) throws with `errno`.
    @discardableResult
    public static func checkSystemCall<Result: BinaryInteger>(
        _ result: Result, _ operation: @autoclosure () -> String
    ) throws(SystemError) -> Result {
        guard result == -1 else { return result }
        // errno is read here, before `operation` is evaluated: building the text may allocate and
        // so clobber it.
        let code = Glibc.errno
        throw SystemError(operation(), code: code)
    }

    /// The errno text, e.g. `Address already in use`.
    public var reason: String { Self.reason(code) }

    /// The C library's sentence for the errno value `code`.
    public static func reason(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        // strerror_r (the XSI form Swift imports), because strerror's buffer is shared between threads.
        return buffer.withUnsafeMutableBufferPointer { bytes in
            strerror_r(code, bytes.baseAddress!, bytes.count) == 0
                ? String(decoding: bytes.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                : "errno \(code)"
        }
    }

    /// `operation: reason`.
    public var description: String { "\(operation): \(reason)" }
}
