import SitbreakProtocol
import SitbreakSystem

/// The daemon's places on disk, resolved once from options and the XDG environment.
struct DaemonPaths: Sendable {
    /// The control socket; nil when neither `--socket` nor `XDG_RUNTIME_DIR` names one (fine
    /// under socket activation, which passes the socket instead).
    var socket: String?
    /// The state directory.
    var stateDirectory: String

    static func resolve(_ options: DaemonOptions, environment: [String: String]) throws(DaemonError) -> DaemonPaths {
        func absolute(_ variable: String) -> String? {
            guard let value = environment[variable], value.hasPrefix("/") else { return nil }
            return value
        }
        let socket = options.socketPath ?? ControlProtocol.defaultSocketPath(environment: environment)
        let state: String
        if let explicit = options.stateDirectory {
            state = explicit
        } else if let xdg = absolute("XDG_STATE_HOME") {
            state = xdg + "/sitbreak"
        } else if let home = absolute("HOME") {
            state = home + "/.local/state/sitbreak"
        } else {
            throw DaemonError.setup("neither XDG_STATE_HOME nor HOME is set; give --state-dir DIR")
        }
        return DaemonPaths(socket: socket, stateDirectory: state)
    }
}

/// Why the daemon could not start or had to stop.
public enum DaemonError: Error, Sendable, CustomStringConvertible {
    /// A setup step failed (paths, permissions, another daemon running).
    case setup(String)
    /// A system call failed.
    case system(SystemError)

    public var description: String {
        switch self {
        case .setup(let message): message
        case .system(let error): error.description
        }
    }
}
