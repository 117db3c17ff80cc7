/// An error in a configuration file, naming file, line and key.
///
/// One error is reported at a time, the first in file order: a person fixes the file from the
/// top, and a later error is often a consequence of an earlier one.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file as the user named it (e.g. `config.toml`).
    public var file: String
    /// 1-based line, or nil when the error concerns the whole file (unreadable, say).
    public var line: Int?
    /// The key concerned (e.g. `active_hours`, `breaks.walk.every`), when there is one.
    public var key: String?
    /// What is wrong and what would be valid, separated by `; `.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `FILE:LINE: KEY: what is wrong; what would be valid` (without line or key when there is
    /// none).
    public var description: String {
        var out = file
        if let line { out += ":\(line)" }
        out += ": "
        if let key { out += "\(key): " }
        return out + message
    }
}
