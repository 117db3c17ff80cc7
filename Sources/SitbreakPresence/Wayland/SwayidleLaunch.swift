import Glibc

/// How ``SwayidleSource`` runs swayidle, decided from the daemon's environment and the idle
/// threshold alone (no process is started here): which program, which compositor socket, and the
/// exact command line and environment.
struct SwayidleLaunch: Equatable {
    /// The swayidle executable.
    var executable: String
    /// `WAYLAND_DISPLAY` as the environment gives it: a name in `XDG_RUNTIME_DIR` or a path.
    var display: String
    /// The compositor's socket.
    var socketPath: String
    /// The idle timeout given to swayidle: the threshold rounded up to whole seconds.
    var timeoutSeconds: Int
    /// `argv`, the executable first.
    var arguments: [String]
    /// The child's whole environment, `NAME=value`.
    var environment: [String]

    /// Where swayidle is looked for when `PATH` does not have it.
    static let fallbackDirectory = "/usr/bin"
    /// swayidle takes whole seconds and multiplies them into an `int` of milliseconds.
    static let maximumTimeoutSeconds = 2_000_000

    /// Given to swayidle as its system bus, where nothing listens: swayidle otherwise holds back
    /// its timeouts while a logind idle inhibitor is held, and wakes at each logind property
    /// change. The engine takes inhibitors from their own source and needs the raw idle time.
    static let unreachableSystemBus = "unix:path=/nonexistent/sitbreak-keeps-swayidle-off-the-system-bus"

    /// The launch for `environment` (the daemon's) and an idle threshold in nanoseconds; throws
    /// when this is not a Wayland session or swayidle is not installed.
    ///
    /// - Parameters:
    ///   - executable: swayidle's path; nil looks it up in `PATH`, then in /usr/bin.
    ///   - isExecutable: whether a path is an executable file (`access(X_OK)` in the source).
    static func make(
        environment: [String: String], thresholdNanoseconds: Int64, executable: String? = nil,
        isExecutable: (String) -> Bool
    ) throws(PresenceUnavailable) -> SwayidleLaunch {
        guard let display = environment["WAYLAND_DISPLAY"], !display.isEmpty else {
            throw PresenceUnavailable("WAYLAND_DISPLAY is not set (not a Wayland session)")
        }
        let runtimeDirectory = environment["XDG_RUNTIME_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let socketPath: String
        if display.hasPrefix("/") {
            socketPath = display
        } else if let runtimeDirectory {
            socketPath = runtimeDirectory + "/" + display
        } else {
            throw PresenceUnavailable("XDG_RUNTIME_DIR is not set, so the Wayland display \(display) cannot be found")
        }
        let searchPath = environment["PATH"].flatMap { $0.isEmpty ? nil : $0 }
        let program: String
        if let executable {
            guard isExecutable(executable) else { throw PresenceUnavailable("\(executable) is not an executable") }
            program = executable
        } else {
            let directories = (searchPath ?? "").split(separator: ":").map(String.init) + [fallbackDirectory]
            guard let found = directories.map({ $0 + "/swayidle" }).first(where: isExecutable) else {
                throw PresenceUnavailable(
                    "swayidle is not installed (looked in PATH and \(fallbackDirectory); on Debian: apt install swayidle)"
                )
            }
            program = found
        }
        let second: Int64 = 1_000_000_000
        let rounded = (max(thresholdNanoseconds, 1) + second - 1) / second
        let timeout = Int(min(rounded, Int64(maximumTimeoutSeconds)))
        var childEnvironment = [
            "PATH=" + (searchPath ?? "/usr/bin:/bin"), "WAYLAND_DISPLAY=" + display,
            "DBUS_SYSTEM_BUS_ADDRESS=" + unreachableSystemBus,
        ]
        if let runtimeDirectory { childEnvironment.append("XDG_RUNTIME_DIR=" + runtimeDirectory) }
        return SwayidleLaunch(
            executable: program, display: display, socketPath: socketPath, timeoutSeconds: timeout,
            arguments: Self.arguments(program, timeoutSeconds: timeout), environment: childEnvironment)
    }

    /// The same swayidle with a timeout of one second, to learn of the first input after a resume:
    /// its `active` comes at the first input after a second without any, which a person at the
    /// machine gives within moments. (One second is swayidle's shortest timeout.)
    var firstInputProbe: SwayidleLaunch {
        var probe = self
        probe.timeoutSeconds = 1
        probe.arguments = Self.arguments(executable, timeoutSeconds: 1)
        return probe
    }

    /// `argv` for a timeout: `idle` and `active` lines on stdout.
    private static func arguments(_ program: String, timeoutSeconds: Int) -> [String] {
        // -C /dev/null: swayidle otherwise also reads the person's own config and would run their
        // lock command a second time. -w: one command at a time, so lines come in order. The
        // commands run through `sh -c`, where `echo` is a builtin.
        [program, "-C", "/dev/null", "-w", "timeout", String(timeoutSeconds), "echo idle", "resume", "echo active"]
    }

    /// Why the compositor's socket cannot be used, from the errno of a connection attempt.
    static func socketProblem(path: String, errno code: Int32, text: String) -> String {
        switch code {
        case ENOENT: "no Wayland compositor: \(path) does not exist"
        case ECONNREFUSED: "no Wayland compositor listens on \(path)"
        default: "cannot connect to the Wayland compositor at \(path): \(text)"
        }
    }
}
