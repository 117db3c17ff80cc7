/// Facts about the control socket that the daemon and its clients must agree on (docs/protocol.md).
public enum ControlProtocol {
    /// The protocol version this build speaks; `status` and `version` report it as `"protocol"`.
    public static let version = 1

    /// The version of sitbreak itself, reported by `version` and `status` and by `sitbreakctl version`.
    public static let softwareVersion = "0.1.0"

    /// The longest request line the daemon accepts, in bytes, not counting its line feed. A longer
    /// line gets a `line-too-long` error and the connection is closed, so a client that never sends
    /// a newline cannot make the daemon buffer without bound.
    public static let maximumLineLength = 64 * 1024

    /// The socket's path below `$XDG_RUNTIME_DIR`.
    public static let socketSubpath = "sitbreak/control.sock"

    /// `$XDG_RUNTIME_DIR/sitbreak/control.sock`, or nil when `XDG_RUNTIME_DIR` is unset or not an
    /// absolute path (the daemon and the CLI then refuse to guess: another directory could be
    /// shared with other users, and the socket's only protection is its directory's mode). The
    /// daemon and the CLI both take the default from here.
    public static func defaultSocketPath(environment: [String: String]) -> String? {
        guard let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") else { return nil }
        return (runtime.hasSuffix("/") ? String(runtime.dropLast()) : runtime) + "/" + socketSubpath
    }
}
