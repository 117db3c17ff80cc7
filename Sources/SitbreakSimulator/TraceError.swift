/// A malformed or unreadable trace, reported as `FILE:LINE: what is wrong`.
public struct TraceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The trace file as the user named it (e.g. `day.trace`).
    public var file: String
    /// 1-based line, or nil when the problem concerns the whole file (it cannot be opened, say).
    public var line: Int?
    /// What is wrong, phrased so the person can fix the line.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`, or `FILE: message` without a line; the form editors and compilers use.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
