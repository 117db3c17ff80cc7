// `stderr` is a mutable C global, which Swift 6 rejects as shared state; glibc's FILE streams lock
// internally, so importing it as pre-concurrency is sound here.
@preconcurrency import Glibc

/// Diagnostics on standard error, unbuffered so they appear before the process exits.
public enum StandardError {
    /// Writes `line` and a line feed to standard error.
    public static func writeLine(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { bytes in
            _ = fwrite(bytes.baseAddress, 1, bytes.count, stderr)
        }
        fflush(stderr)
    }
}
