/// Bytes read from a stream, cut into lines.
///
/// A read may end anywhere: inside a line, or after several. The buffer keeps what follows the
/// last line feed until the rest of that line arrives. The one line framing of the control
/// socket's two ends (the daemon's clients, ``ControlClient``).
public struct LineBuffer: Sendable {
    private var bytes: [UInt8] = []
    /// Where the first byte not yet returned as a line is.
    private var start = 0
    /// Where to continue looking for a line feed (everything before it was searched already, so a
    /// long line arriving in many pieces is not searched over and over).
    private var searched = 0

    /// Bytes held that are not yet part of a complete line.
    public var pendingCount: Int { bytes.count - start }

    /// An empty buffer.
    public init() {}

    /// Adds bytes that were read.
    public mutating func append(_ chunk: UnsafeRawBufferPointer) {
        // Drop what was consumed before growing, so the buffer stays the size of one line.
        if start > 0, start == bytes.count {
            bytes.removeAll(keepingCapacity: true)
            searched -= start
            start = 0
        } else if start > 4096, start * 2 > bytes.count {
            bytes.removeSubrange(0..<start)
            searched -= start
            start = 0
        }
        bytes.append(contentsOf: chunk)
    }

    /// The next complete line without its line feed, or nil when none is complete yet.
    public mutating func nextLine() -> [UInt8]? {
        var i = max(searched, start)
        while i < bytes.count {
            if bytes[i] == 0x0A {
                let line = Array(bytes[start..<i])
                start = i + 1
                searched = start
                return line
            }
            i += 1
        }
        searched = bytes.count
        return nil
    }

    /// What is left after the last line feed (a final line the peer did not terminate).
    public mutating func takeRest() -> [UInt8] {
        let rest = Array(bytes[start...])
        bytes.removeAll()
        start = 0
        searched = 0
        return rest
    }
}
