import CSystemd
import Glibc
import SitbreakSystem

/// Sockets passed by systemd (socket activation, `sd_listen_fds`).
public enum SocketActivation {
    /// The first passed descriptor (`SD_LISTEN_FDS_START`): systemd passes them as 3, 4, ….
    public static let firstDescriptor: Int32 = 3

    /// The passed listening file descriptors (from 3 on), or empty when none were passed.
    /// Unsets `LISTEN_FDS`/`LISTEN_PID` so children do not inherit them.
    ///
    /// Malformed `LISTEN_*` variables count as none passed: the daemon then binds its own socket,
    /// which is the better outcome than not starting. Use ``passedSockets()`` to see the error.
    public static func listeningSockets() -> [Int32] {
        (try? passedSockets()) ?? []
    }

    /// Like ``listeningSockets()``, but a malformed environment throws.
    ///
    /// libsystemd checks that `LISTEN_PID` names this process (so variables inherited from a
    /// parent are ignored) and marks the descriptors close-on-exec.
    public static func passedSockets() throws(SystemError) -> [Int32] {
        let count = try SystemError.check(sd_listen_fds(1), "sd_listen_fds")
        return descriptors(count: count)
    }

    /// The descriptors of `count` passed sockets: `3 ..< 3 + count`.
    public static func descriptors(count: Int32) -> [Int32] {
        Array(firstDescriptor..<firstDescriptor + max(0, count))
    }

    /// Whether `descriptor` is a listening `AF_UNIX` stream socket, the only kind the control
    /// socket can be; a unit with another `Listen…=` line would otherwise fail obscurely later.
    public static func isListeningUnixStream(_ descriptor: Int32) -> Bool {
        sd_is_socket_unix(descriptor, Int32(SOCK_STREAM.rawValue), 1, nil, 0) > 0
    }
}
