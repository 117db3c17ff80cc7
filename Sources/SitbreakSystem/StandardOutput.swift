// `stdout` is a mutable C global, which Swift 6 rejects as shared state; glibc's FILE streams lock
// internally, so importing it as pre-concurrency is sound here.
@preconcurrency import Glibc

/// Buffered writing to standard output through stdio.
///
/// stdio buffers fully when stdout is a pipe or a file, so a simulation of half a million lines
/// costs a few thousand `write(2)` calls rather than one per event. Call ``flush()`` before exiting:
/// it is where a failed write (a full disk, a closed pipe) becomes visible.
public struct StandardOutput: Sendable {
    /// Creates a writer for the process's standard output.
    public init() {}

    /// Appends `text` to the stdout buffer.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            _ = fwrite(bytes.baseAddress, 1, bytes.count, stdout)
        }
    }

    /// Writes out the buffer; throws if this or any earlier write failed.
    public func flush() throws(OutputError) {
        if fflush(stdout) != 0 || ferror(stdout) != 0 {
            throw OutputError(message: "cannot write to standard output: \(SystemError.reason(errno))")
        }
    }
}

/// Writing to standard output or standard error failed.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
