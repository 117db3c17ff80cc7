import SitbreakEngine

/// Parses a trace line by line and checks what single lines cannot: time order, suspend state and
/// the final `end` (docs/engine.md §9).
///
/// Keeps only a few values of state, so validating a trace costs no memory per line.
public struct TraceParser: Sendable {
    /// The trace file as named in error messages.
    public let file: String
    /// The number of lines fed so far (the current line while parsing one).
    public private(set) var lineNumber = 0

    private var previousTime: Timestamp?
    private var suspendedSinceLine: Int?
    private var endLine: Int?

    /// Creates a parser for the trace `file` (used only in error messages).
    public init(file: String) {
        self.file = file
    }

    /// Parses the next line (without its line feed).
    ///
    /// - Returns: the line's step, or nil for a blank or comment line.
    public mutating func parse(line: ArraySlice<UInt8>) throws(TraceError) -> TraceStep? {
        lineNumber += 1
        let parsed: TraceLineSyntax.Parsed
        do {
            parsed = try TraceLineSyntax.parse(line)
        } catch {
            throw TraceError(file: file, line: lineNumber, message: error.message)
        }
        guard case .step(let step) = parsed else { return nil }
        if let endLine {
            throw fail("line after \"end\" (line \(endLine)); \"end\" must be the last line")
        }
        if let previousTime, step.time < previousTime {
            // Both in UTC: with offsets in the trace, the written forms would not compare at a glance.
            throw fail("time \(step.time.rfc3339) is before the previous line's \(previousTime.rfc3339)")
        }
        previousTime = step.time
        switch step.action {
        case .end:
            endLine = lineNumber
        case .input(.presence(.resume)):
            guard suspendedSinceLine != nil else { throw fail("\"resume\" without a preceding \"suspend\"") }
            suspendedSinceLine = nil
        case .input(.presence(let presence)):
            if let since = suspendedSinceLine {
                throw fail(
                    "\"\(presence.rawValue)\" while suspended (since line \(since)); "
                        + "only \"resume\" or a command may come next")
            }
            if presence == .suspend { suspendedSinceLine = lineNumber }
        case .input(.command):
            // Commands while suspended are allowed: the engine applies them at resume.
            break
        }
        return step
    }

    /// Checks that the trace ended with `end`; call after the last line.
    public func finish() throws(TraceError) {
        guard endLine == nil else { return }
        throw TraceError(
            file: file, line: max(lineNumber, 1),
            message: "the trace has no \"end\" line; finish it with \"TIME end\"")
    }

    /// Parses a whole trace held in memory; for tests and small traces.
    public static func parse(text: String, file: String) throws(TraceError) -> [TraceStep] {
        var parser = TraceParser(file: file)
        var steps: [TraceStep] = []
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            if let step = try parser.parse(line: bytes[bytes.startIndex..<newline]) { steps.append(step) }
            bytes = newline == bytes.endIndex ? bytes[newline...] : bytes[(newline + 1)...]
        }
        try parser.finish()
        return steps
    }

    private func fail(_ message: String) -> TraceError {
        TraceError(file: file, line: lineNumber, message: message)
    }
}
