import Glibc
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

extension DaemonPaths {
    /// Makes sure the control socket's directory is the daemon's own before a socket is placed
    /// in it: created (mode 0700, with missing parents) if absent; otherwise it must be a real
    /// directory, not a symbolic link (whose target would be used), owned by this user and not
    /// writable by others, or another user could replace the socket. Its parent may be shared only
    /// if sticky (`/tmp`), so nobody else can rename the directory away. Nothing is `chmod`ed:
    /// a directory that fails the checks is refused with what to do.
    static func prepareSocketDirectory(_ directory: String) throws(DaemonError) {
        if mkdir(directory, 0o700) != 0 {
            if errno == ENOENT {
                try makeParents(directory)
                if mkdir(directory, 0o700) != 0 && errno != EEXIST { throw .system(.errno("mkdir \(directory)")) }
            } else if errno != EEXIST {
                throw .system(.errno("mkdir \(directory)"))
            }
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP || errno == ENOTDIR {
                throw .setup(
                    "\(directory) is not a directory (a symbolic link or a file); sitbreakd keeps its socket only "
                        + "in a directory of its own: remove it, or give --socket PATH")
            }
            throw .system(.errno("open \(directory)"))
        }
        let owned = FileDescriptor(fd)
        var status = stat()
        guard fstat(owned.rawValue, &status) == 0 else { throw .system(.errno("fstat \(directory)")) }
        let me = getuid()
        if status.st_uid != me {
            throw .setup(
                "\(directory) belongs to uid \(status.st_uid), not to you (uid \(me)): its owner could replace the "
                    + "socket; remove it (or give --socket PATH)")
        }
        if status.st_mode & 0o022 != 0 {
            throw .setup(
                "\(directory) is writable by other users (mode \(String(status.st_mode & 0o7777, radix: 8))): they "
                    + "could replace the socket; run `chmod 0700 \(directory)`")
        }
        let parent = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
        var parentStatus = stat()
        if lstat(parent.isEmpty ? "/" : parent, &parentStatus) == 0,
            parentStatus.st_mode & 0o022 != 0 && parentStatus.st_mode & UInt32(S_ISVTX) == 0
                || (parentStatus.st_uid != me && parentStatus.st_uid != 0)
        {
            throw .setup(
                "\(parent.isEmpty ? "/" : parent) (holding \(directory)) is writable by other users or belongs to "
                    + "another: they could move the socket's directory away; use a directory of your own")
        }
    }

    /// `mkdir -p` of `path`'s parents, mode 0700.
    private static func makeParents(_ path: String) throws(DaemonError) {
        var current = ""
        for part in path.split(separator: "/").dropLast() {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST { throw .system(.errno("mkdir \(current)")) }
        }
    }
}
