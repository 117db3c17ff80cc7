/// A directory where display servers create their sockets, and which of its entries are such
/// sockets: what ``DisplaySocketWatch`` watches.
///
/// A session's start-up script imports `DISPLAY` / `WAYLAND_DISPLAY` into the user service
/// manager right after its display server made its socket, so a socket appearing (or going: a
/// desktop that ends) is when the manager's environment is worth reading again.
struct DisplaySocketDirectory: Equatable, Sendable {
    /// Which naming its sockets follow.
    enum Kind: Equatable, Sendable {
        /// `$XDG_RUNTIME_DIR`: `wayland-<n>` (libwayland's `wl_display_add_socket_auto`), next to
        /// its `wayland-<n>.lock`, made first and not a socket.
        case wayland
        /// `/tmp/.X11-unix`: `X<n>` for display `:<n>`.
        case x11
    }

    /// The directory.
    var path: String
    /// Its naming.
    var kind: Kind

    /// Where every X server on the machine makes its socket (systemd-tmpfiles' `x11.conf` creates
    /// the directory at boot).
    static let x11 = DisplaySocketDirectory(path: "/tmp/.X11-unix", kind: .x11)

    /// The directories for a daemon with `environment`: its `$XDG_RUNTIME_DIR` (when set to an
    /// absolute path) and ``x11``.
    static func standard(environment: [String: String]) -> [DisplaySocketDirectory] {
        var directories: [DisplaySocketDirectory] = []
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            directories.append(DisplaySocketDirectory(path: runtime, kind: .wayland))
        }
        directories.append(x11)
        return directories
    }

    /// Whether an entry named `name` in this directory is a display server's socket.
    func isSocket(_ name: String) -> Bool {
        switch kind {
        case .wayland:
            return name.hasPrefix("wayland-") && !name.hasSuffix(".lock")
        case .x11:
            guard name.first == "X" else { return false }
            let number = name.dropFirst()
            return !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
        }
    }
}
