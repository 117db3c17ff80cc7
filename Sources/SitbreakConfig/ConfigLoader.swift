import SitbreakEngine

/// Finds, reads and parses configuration files.
public enum ConfigLoader {
    /// What `loadDefault` reports as the source when no configuration file exists.
    public static let builtInSource = "built-in default"

    /// `$XDG_CONFIG_HOME/sitbreak/config.toml`, else `$HOME/.config/sitbreak/config.toml`.
    ///
    /// A relative `XDG_CONFIG_HOME` is ignored, as the XDG Base Directory specification says.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/sitbreak/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/sitbreak/config.toml" }
        return nil
    }

    /// Reads and parses the file at `path`; a missing file is an error, since someone named it.
    public static func load(path: String) throws(ConfigError) -> Schedule {
        try parse(text: try readFile(path: path), file: path)
    }

    /// Parses TOML `text`; `file` names it in errors.
    public static func parse(text: String, file: String) throws(ConfigError) -> Schedule {
        try parseConfiguration(text: text, file: file).schedule
    }

    /// Reads and parses the whole file at `path`: the schedule, `[presence]` and `[history]`.
    public static func loadConfiguration(path: String) throws(ConfigError) -> Configuration {
        try parseConfiguration(text: try readFile(path: path), file: path)
    }

    /// Parses the whole TOML `text`; `file` names it in errors.
    public static func parseConfiguration(text: String, file: String) throws(ConfigError) -> Configuration {
        let document = try TOMLParser.parse(text, file: file)
        return Configuration(
            schedule: try ScheduleDecoder(file: file).decode(document),
            presence: try PresenceDecoder(file: file).decode(document),
            notify: try NotifyDecoder(file: file).decode(document),
            hooks: try HooksDecoder(file: file).decode(document),
            history: try HistoryDecoder(file: file).decode(document)
        )
    }

    /// Like ``loadDefault(environment:)``, with `[presence]`.
    public static func loadDefaultConfiguration(
        environment: [String: String]
    ) throws(ConfigError) -> (configuration: Configuration, source: String) {
        guard let path = defaultPath(environment: environment), fileExists(path: path) else {
            return (Configuration.builtInDefault, builtInSource)
        }
        return (try loadConfiguration(path: path), path)
    }

    /// The configuration at the default path, or the built-in default when that file does not
    /// exist (or no default path can be formed). `source` is the path that was read, or
    /// `builtInSource`.
    ///
    /// Any other problem with the file (unreadable, invalid) is an error rather than a silent
    /// fallback: the person wrote that file and expects it to apply.
    public static func loadDefault(
        environment: [String: String]
    ) throws(ConfigError) -> (schedule: Schedule, source: String) {
        guard let path = defaultPath(environment: environment), fileExists(path: path) else {
            return (Schedule.builtInDefault, builtInSource)
        }
        return (try load(path: path), path)
    }
}
