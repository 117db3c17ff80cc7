import Glibc

/// Reads a file line by line in fixed-size chunks, so memory stays flat however long the file is.
///
/// Plain glibc `open`/`read`: this module stays free of Foundation (docs/design.md §7), and lines are
/// handed out as slices of one reused buffer rather than as strings.
public enum LineReader {
    /// Bytes read per `read(2)` call.
    public static let chunkSize = 64 * 1024
    /// The longest line accepted; a longer one is an error rather than unbounded buffering.
    public static let maxLineLength = 4096

    /// Calls `body` with each line of the file at `path` (line feed and a trailing CR removed) and
    /// its 1-based number. A last line without a line feed counts as a line.
    ///
    /// The slice is only valid during the call: the buffer behind it is reused.
    ///
    /// - Parameter file: the name used in errors (the path as the user wrote it).
    public static func forEachLine(
        path: String, file: String, _ body: (ArraySlice<UInt8>, Int) throws(TraceError) -> Void
    ) throws(TraceError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TraceError(file: file, line: nil, message: "cannot open: \(errorText())") }
        defer { close(fd) }

        let capacity = chunkSize + maxLineLength
        var buffer = [UInt8](repeating: 0, count: capacity)
        var start = 0  // first byte of the current line
        var end = 0  // end of the bytes read so far
        var scanned = 0  // bytes before this are known to hold no line feed
        var lineNumber = 0
        var atEOF = false

        while true {
            let newline = buffer.withUnsafeBufferPointer { pointer -> Int? in
                guard scanned < end, let base = pointer.baseAddress,
                    let hit = memchr(base + scanned, 0x0A, end - scanned)
                else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if let newline {
                lineNumber += 1
                guard newline - start <= maxLineLength else { throw tooLong(file, lineNumber) }
                try body(trimmed(buffer[start..<newline]), lineNumber)
                start = newline + 1
                scanned = start
                continue
            }
            scanned = end
            if atEOF {
                if start < end {
                    lineNumber += 1
                    try body(trimmed(buffer[start..<end]), lineNumber)
                }
                return
            }
            if end - start > maxLineLength { throw tooLong(file, lineNumber + 1) }
            // Move the unfinished line to the front so the next read has room.
            if start > 0 {
                buffer.withUnsafeMutableBufferPointer { pointer in
                    let base = pointer.baseAddress!
                    _ = memmove(base, base + start, end - start)
                }
                end -= start
                scanned -= start
                start = 0
            }
            let count = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
                while true {
                    let n = read(fd, pointer.baseAddress! + end, capacity - end)
                    if n < 0 && errno == EINTR { continue }
                    return n
                }
            }
            guard count >= 0 else {
                throw TraceError(file: file, line: nil, message: "cannot read: \(errorText())")
            }
            if count == 0 { atEOF = true }
            end += count
        }
    }

    private static func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.last == 0x0D ? line.dropLast() : line
    }

    private static func tooLong(_ file: String, _ line: Int) -> TraceError {
        TraceError(file: file, line: line, message: "line is longer than \(maxLineLength) bytes")
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
