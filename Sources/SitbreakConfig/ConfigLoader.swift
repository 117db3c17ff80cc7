import SitbreakEngine

// STUB: the configuration helper replaces this file with the real parser. The API below is the
// contract the CLI builds against: keep these names and signatures.

/// An error in a configuration file, naming file, line and key.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file as the user named it (e.g. `config.toml`).
    public var file: String
    /// 1-based line, or nil when the error concerns the whole file (unreadable, say).
    public var line: Int?
    /// The key concerned (e.g. `active_hours`, `breaks.walk.every`), when there is one.
    public var key: String?
    /// What is wrong and what would be valid.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: key: message`.
    public var description: String {
        var out = file
        if let line { out += ":\(line)" }
        out += ": "
        if let key { out += "\(key): " }
        return out + message
    }
}

/// Finds, reads and parses configuration files.
public enum ConfigLoader {
    /// `$XDG_CONFIG_HOME/sitbreak/config.toml`, else `$HOME/.config/sitbreak/config.toml`.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/sitbreak/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/sitbreak/config.toml" }
        return nil
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ConfigError) -> Schedule {
        throw ConfigError(file: path, line: nil, key: nil, message: "not implemented yet")
    }

    /// Parses TOML `text`; `file` names it in errors.
    public static func parse(text: String, file: String) throws(ConfigError) -> Schedule {
        throw ConfigError(file: file, line: nil, key: nil, message: "not implemented yet")
    }
}

extension Schedule {
    /// The built-in default: posture (every 20m, nudge), walk (50m, 5m), stretch (2h, 10m).
    public static let builtInDefault = Schedule(kinds: [
        BreakKind(name: "posture", every: 1200, duration: 0),
        BreakKind(name: "walk", every: 3000, duration: 300),
        BreakKind(name: "stretch", every: 7200, duration: 600),
    ])

    /// A readable, multi-line description of the schedule for `sitbreakctl config check`.
    public func summary() -> String { "\(kinds.count) kinds" }
}
