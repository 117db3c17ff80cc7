import CLinux
import Glibc
import SitbreakSystem

/// A running swayidle and everything of it the daemon holds: the pid, a pidfd that becomes
/// readable when it exits, and the read ends of its stdout and stderr. The one owner of the
/// process: ``terminate()`` or deinit ends it and reaps it; each descriptor is a
/// ``FileDescriptor`` that closes with its holder.
final class SwayidleChild {
    /// How a child ended.
    enum Exit: Equatable, CustomStringConvertible {
        /// It exited with this status.
        case status(Int32)
        /// A signal ended it.
        case signal(Int32)

        var description: String {
            switch self {
            case .status(let code): "exited with status \(code)"
            case .signal(let number): "was killed by signal \(number) (\(String(cString: strsignal(number))))"
            }
        }
    }

    /// How long ``terminate()`` waits after SIGTERM before SIGKILL. swayidle exits at once, after
    /// running a pending resume command.
    static let terminateGraceMilliseconds: Int32 = 1000

    /// The process id.
    let pid: pid_t
    private let pidDescriptor: FileDescriptor
    private var stdout: FileDescriptor?
    private var stderr: FileDescriptor?
    /// Readable once the process exited.
    var pidfd: Int32 { pidDescriptor.rawValue }
    /// Its stdout, non-blocking; -1 once closed.
    var stdoutFD: Int32 { stdout?.rawValue ?? -1 }
    /// Its stderr, non-blocking; -1 once closed.
    var stderrFD: Int32 { stderr?.rawValue ?? -1 }
    /// How it ended, once reaped.
    private(set) var exit: Exit?

    /// Starts `launch`; throws when the program cannot be run.
    init(_ launch: SwayidleLaunch) throws(PresenceUnavailable) {
        var child = sitbreak_child()
        let result = withCStrings(launch.arguments) { argv in
            withCStrings(launch.environment) { envp in
                sitbreak_spawn(launch.executable, argv, envp, &child)
            }
        }
        guard result == 0 else {
            let reason = SystemError.reason(-result)
            throw PresenceUnavailable(
                result == -ENOSYS
                    ? "cannot supervise a child: pidfd_open needs Linux 5.3 or later"
                    : "cannot run \(launch.executable): \(reason)")
        }
        pid = child.pid
        pidDescriptor = FileDescriptor(child.pidfd)
        stdout = FileDescriptor(child.stdout_fd)
        stderr = FileDescriptor(child.stderr_fd)
    }

    deinit {
        terminate()
    }

    /// Everything readable now on `fd` (stdout or stderr); nil at end of file (the caller then
    /// ``closeOutput(_:)``s it).
    func read(_ fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n > 0 {
                bytes.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                return bytes.isEmpty ? nil : bytes
            } else if errno == EINTR {
                continue
            } else {
                // EAGAIN: nothing more for now. Another error: treated as nothing; the pidfd
                // still says when the process ends.
                return bytes
            }
        }
    }

    /// Closes stdout or stderr.
    func closeOutput(_ fd: Int32) {
        if fd == stdoutFD {
            stdout = nil
        } else if fd == stderrFD {
            stderr = nil
        }
    }

    /// Reaps the process if it has ended (the pidfd was readable); returns how it ended.
    @discardableResult
    func reap(blocking: Bool = false) -> Exit? {
        if let exit { return exit }
        var code: Int32 = 0
        var signal: Int32 = 0
        guard sitbreak_child_reap(pid, blocking ? 1 : 0, &code, &signal) == 1 else { return nil }
        exit = signal != 0 ? .signal(signal) : .status(code)
        return exit
    }

    /// Ends the process (SIGTERM, SIGKILL if it lingers), reaps it and closes its outputs. The
    /// pid stays valid until the reap, so the signals cannot reach another process.
    func terminate() {
        if exit == nil && reap() == nil {
            kill(pid, SIGTERM)
            if sitbreak_wait_readable(pidfd, Self.terminateGraceMilliseconds) != 1 {
                kill(pid, SIGKILL)
            }
            reap(blocking: true)
        }
        stdout = nil
        stderr = nil
    }
}

/// Calls `body` with a NULL-terminated `char *[]` of `strings`, valid only during the call.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
