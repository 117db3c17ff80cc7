/// Why a conversation with sitbreakd failed.
public enum ClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No socket path was given and `XDG_RUNTIME_DIR`, which the default one lives under, is unset.
    case noRuntimeDirectory
    /// Nothing accepts connections at `path`; `reason` is the system's text for the error
    /// (`No such file or directory`, `Connection refused`, `Permission denied`).
    case notReachable(path: String, reason: String)
    /// The daemon answered with an error reply (`refused`, `reload-failed`, …) and its sentence.
    case daemon(code: String, message: String)
    /// The daemon sent something that is not a reply of protocol 1.
    case malformedReply(String)
    /// The daemon closed the connection before replying.
    case closed
    /// No reply within the time allowed.
    case timeout(milliseconds: Int)
    /// Reading from or writing to the socket failed.
    case io(String)

    /// A sentence for standard error, after `sitbreakctl: `.
    public var description: String {
        switch self {
        case .noRuntimeDirectory:
            "XDG_RUNTIME_DIR is not set, so the daemon's socket cannot be found; set it or pass --socket PATH"
        case .notReachable(let path, let reason): "cannot reach sitbreakd at \(path) (\(reason))"
        case .daemon(_, let message): message
        case .malformedReply(let reason): "sitbreakd sent a malformed reply: \(reason)"
        case .closed: "sitbreakd closed the connection without replying"
        case .timeout(let ms): "sitbreakd did not reply within \(Self.seconds(ms))"
        case .io(let reason): "talking to sitbreakd failed: \(reason)"
        }
    }

    private static func seconds(_ ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}
