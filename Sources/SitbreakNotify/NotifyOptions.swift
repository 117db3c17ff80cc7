/// The command line of `sitbreak-notify`.
public struct NotifyOptions: Hashable, Sendable {
    /// `--socket PATH`: the daemon's control socket (default `$XDG_RUNTIME_DIR/sitbreak/control.sock`).
    public var socketPath: String?
    /// `--config PATH`: the configuration file whose `[notify]` and `[hooks]` apply (default
    /// `$XDG_CONFIG_HOME/sitbreak/config.toml`).
    public var configPath: String?
    /// `--help`.
    public var showHelp = false
    /// `--version`.
    public var showVersion = false

    /// The text of `--help`.
    public static let help = """
        Usage: sitbreak-notify [--socket PATH] [--config PATH]

        Shows sitbreakd's reminders as desktop notifications (org.freedesktop.Notifications) with
        Snooze, Skip and Done buttons, and runs the [hooks] of the configuration file.

          --socket PATH   the daemon's control socket (default $XDG_RUNTIME_DIR/sitbreak/control.sock)
          --config PATH   the configuration file (default $XDG_CONFIG_HOME/sitbreak/config.toml)
          --help          show this text
          --version       show the version

        SIGHUP re-reads the [notify] and [hooks] tables.
        """

    /// Reads `arguments` (without the program name). Throws a sentence for standard error.
    public static func parse(_ arguments: [String]) throws(OptionError) -> NotifyOptions {
        var options = NotifyOptions()
        var index = 0
        func value(_ name: String) throws(OptionError) -> String {
            index += 1
            guard index < arguments.count, !arguments[index].isEmpty else {
                throw OptionError(description: "sitbreak-notify: \(name) needs a value; see --help")
            }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--socket": options.socketPath = try value(argument)
            case "--config": options.configPath = try value(argument)
            case "--help", "-h": options.showHelp = true
            case "--version": options.showVersion = true
            default:
                if argument.hasPrefix("--socket=") {
                    options.socketPath = String(argument.dropFirst("--socket=".count))
                } else if argument.hasPrefix("--config=") {
                    options.configPath = String(argument.dropFirst("--config=".count))
                } else {
                    throw OptionError(description: "sitbreak-notify: unknown argument \"\(argument)\"; see --help")
                }
            }
            index += 1
        }
        return options
    }

    /// A command line `parse` does not accept.
    public struct OptionError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The sentence for standard error.
        public var description: String
    }
}
