// STUB (interface fixed): the systemd helper replaces the body.

/// Sockets passed by systemd (socket activation, `sd_listen_fds`).
public enum SocketActivation {
    /// The passed listening file descriptors (from 3 on), or empty when none were passed.
    /// Unsets `LISTEN_FDS`/`LISTEN_PID` so children do not inherit them.
    public static func listeningSockets() -> [Int32] { [] }
}
