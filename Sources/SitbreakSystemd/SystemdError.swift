import Glibc

/// A libsystemd or system call that failed, with the errno it reported.
///
/// libsystemd reports failure as a negative errno in its return value, and plain system calls as
/// -1 with `errno` set. ``SystemdError/check(_:_:)`` and ``SystemdError/checkSystemCall(_:_:)``
/// are the only places in this module where those conventions turn into a typed error, so no call
/// site compares return values by hand and none forgets the sign.
public struct SystemdError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was attempted, e.g. `sd_journal_sendv` or `sendto NOTIFY_SOCKET`.
    public var operation: String
    /// The positive errno value (e.g. `ENOENT`).
    public var code: Int32

    /// Creates an error for `operation` with the positive errno `code`.
    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// `operation: strerror(code)`, e.g. `sd_journal_sendv: No such file or directory`.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 256)
        // strerror_r (the XSI form Swift imports), because strerror's buffer is shared between threads.
        let text = buffer.withUnsafeMutableBufferPointer { bytes in
            strerror_r(code, bytes.baseAddress!, bytes.count) == 0
                ? String(decoding: bytes.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                : "errno \(code)"
        }
        return "\(operation): \(text)"
    }

    /// Returns `result` when it is not negative; a negative result is `-errno` (libsystemd's
    /// convention) and throws.
    @discardableResult
    public static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(SystemdError) -> Int32 {
        guard result < 0 else { return result }
        throw SystemdError(operation: operation(), code: -result)
    }

    /// Returns `result` when it is not -1; -1 (the system call convention) throws with `errno`.
    @discardableResult
    public static func checkSystemCall<Result: BinaryInteger>(
        _ result: Result, _ operation: @autoclosure () -> String
    ) throws(SystemdError) -> Result {
        guard result == -1 else { return result }
        // errno is read here, before `operation` is evaluated: building the text may allocate and
        // so clobber it.
        try check(-errno, operation())
        return result
    }
}
