import SitbreakConfig

/// How `sitbreakd` was asked to run: paths from the command line, else from the environment.
public struct DaemonOptions: Sendable, Equatable {
    /// An explicit configuration file (`--config`); nil = the default path or the built-in default.
    public var configPath: String?
    /// The control socket (`--socket`); nil = `$XDG_RUNTIME_DIR/sitbreak/control.sock`.
    public var socketPath: String?
    /// Where state is kept (`--state-dir`); nil = `$XDG_STATE_HOME/sitbreak`.
    public var stateDirectory: String?
    /// `--version` was given.
    public var showVersion = false
    /// `--help` was given.
    public var showHelp = false

    /// Creates options.
    public init(configPath: String? = nil, socketPath: String? = nil, stateDirectory: String? = nil) {
        self.configPath = configPath
        self.socketPath = socketPath
        self.stateDirectory = stateDirectory
    }

    /// Parses `sitbreakd`'s arguments (without the program name). The daemon has few options, so
    /// it parses them by hand rather than linking swift-argument-parser and Foundation into a
    /// process that must stay small.
    public static func parse(_ arguments: [String]) throws(DaemonUsageError) -> DaemonOptions {
        var options = DaemonOptions()
        var rest = arguments[...]
        func value(_ name: String) throws(DaemonUsageError) -> String {
            guard let next = rest.popFirst(), !next.hasPrefix("--") else {
                throw DaemonUsageError("\(name) needs a value")
            }
            return next
        }
        while let argument = rest.popFirst() {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0]
            func take() throws(DaemonUsageError) -> String { parts.count == 2 ? parts[1] : try value(name) }
            switch name {
            case "--config": options.configPath = try take()
            case "--socket": options.socketPath = try take()
            case "--state-dir": options.stateDirectory = try take()
            case "--version": options.showVersion = true
            case "-h", "--help": options.showHelp = true
            default: throw DaemonUsageError("unknown argument \"\(argument)\"")
            }
        }
        return options
    }

    /// `sitbreakd --help`.
    public static let help = """
        sitbreakd - the sitbreak daemon: reminds you to stand up, walk and stretch

        USAGE: sitbreakd [--config FILE] [--socket PATH] [--state-dir DIR]

        Runs the break engine against real time, reports every event to journald (or to
        stderr on a terminal) and to subscribers of its control socket, and tells systemd
        how it is doing (READY, STATUS, WATCHDOG). Normally started by systemd as a user
        service (sitbreakd.socket, sitbreakd.service); `sitbreakctl` talks to it.

        OPTIONS:
          --config FILE     configuration (TOML); default $XDG_CONFIG_HOME/sitbreak/config.toml,
                            or the built-in schedule when that file does not exist
          --socket PATH     control socket; default $XDG_RUNTIME_DIR/sitbreak/control.sock
                            (ignored when systemd passes a socket)
          --state-dir DIR   state that survives restarts; default $XDG_STATE_HOME/sitbreak
          --version         print the version and exit
          -h, --help        print this help and exit

        SIGNALS: SIGHUP reloads the configuration (a bad file keeps the running one);
        SIGTERM and SIGINT save the state and stop.

        EXIT STATUS: 0 stopped cleanly; 1 could not start (the reason is logged);
        64 bad command line.
        """
}

/// A bad `sitbreakd` command line.
public struct DaemonUsageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { "sitbreakd: \(message); see sitbreakd --help" }
}
