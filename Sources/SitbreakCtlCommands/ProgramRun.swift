// `environ` is a mutable C global, which Swift 6 rejects as shared state; it is only read here.
@preconcurrency import Glibc
import SitbreakSystem

/// A program run to completion for its exit status and what it printed on stdout (`systemctl
/// --user is-active`, `busctl call`), with posix_spawn: Foundation's Process would link ICU's data
/// into sitbreakctl.
struct ProgramRun {
    /// The exit status; -1 when a signal ended the program.
    var status: Int32
    /// What it wrote on stdout (its stderr is discarded).
    var output: String

    /// Runs `program` with `arguments` and this process's environment: stdin from /dev/null
    /// (nothing it runs should wait for input), default signal handling and an empty signal mask
    /// whatever sitbreakctl changed. Nil when it cannot be started.
    static func run(_ program: String, _ arguments: [String]) -> ProgramRun? {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        let reading = FileDescriptor(ends[0])
        let writing = FileDescriptor(ends[1])
        // Only the dup2 onto its stdout may reach the child (pipe2 is not in Swift's Glibc).
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writing.rawValue, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let started = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        // The child has its copy; ours must go, or reading never sees the end.
        writing.close()
        guard started == 0 else { return nil }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(reading.rawValue, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 {
            guard errno == EINTR else { return nil }
        }
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        let status = waitStatus & 0x7f == 0 ? (waitStatus >> 8) & 0xff : -1
        return ProgramRun(status: status, output: String(decoding: bytes, as: UTF8.self))
    }
}
