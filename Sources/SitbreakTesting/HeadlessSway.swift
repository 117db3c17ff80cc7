import Foundation

/// A real sway compositor on the headless wlroots backend, run as a non-root user
/// (``TestUser``) with a private `XDG_RUNTIME_DIR` (docs/testing.md §2): for tests of the Wayland idle
/// source. `swaymsg seat - cursor move` is the input.
///
/// sway can be killed and started again in the same runtime directory, as a compositor restart
/// does; the Wayland socket keeps its path (a new file at the same name).
public final class HeadlessSway: @unchecked Sendable {
    // Owned by one test; the Process is only touched from that test's task.
    /// The user sway runs as.
    public let user: TestUser
    /// The scratch directory: the runtime directory, sway's config and its log.
    public let directory: TemporaryDirectory
    /// sway's `XDG_RUNTIME_DIR` (0700, the user's).
    public var runtimeDirectory: String { directory.path + "/run" }
    /// The compositor's Wayland socket (an absolute path, usable as `WAYLAND_DISPLAY`).
    public private(set) var socketPath = ""
    /// sway's IPC socket (`SWAYSOCK`).
    public private(set) var ipcSocketPath = ""
    /// sway's stderr.
    public var logPath: String { directory.path + "/sway.log" }
    /// The running sway, if any.
    public private(set) var process: Process?
    private var cursorStep = 5

    static let sway = "/usr/bin/sway"
    static let swaymsg = "/usr/bin/swaymsg"

    /// Makes the user and directories and starts sway; fails, with sway's log, when it does not
    /// come up within `timeout` seconds.
    public init(timeout: Double = 15) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.sway),
            FileManager.default.isExecutableFile(atPath: Self.swaymsg)
        else { throw Failure("sway is not installed: apt-get install -y sway (make deps does)") }
        user = try TestUser.forFixtures()
        directory = try TemporaryDirectory(prefix: "sitbreak-sway")
        // The user must reach its runtime directory and read the config inside the root-owned scratch.
        chmod(directory.path, 0o755)
        try FileManager.default.createDirectory(
            atPath: runtimeDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try user.own(runtimeDirectory)
        // No Xwayland (not installed, and not needed), no bar, no default key bindings.
        let config = try directory.write("config", "xwayland disable\n")
        chmod(config, 0o644)
        // On failure deinit (which runs once every property is set) removes the directory.
        try start(timeout: timeout)
    }

    deinit {
        stop()
        directory.remove()
    }

    /// What a Wayland client of this compositor needs: `WAYLAND_DISPLAY` (the socket's absolute
    /// path) and a `PATH`.
    public var clientEnvironment: [String: String] {
        ["WAYLAND_DISPLAY": socketPath, "PATH": "/usr/bin:/bin"]
    }

    /// Starts sway (again) and waits until its Wayland socket is new and its IPC answers.
    public func start(timeout: Double = 15) throws {
        precondition(process == nil, "sway is already running")
        let before = socketInodes()
        let process = Process()
        let command = user.commandPrefix + [Self.sway, "-c", directory.path + "/config"]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = [
            "PATH": "/usr/bin:/bin", "HOME": user.home, "XDG_RUNTIME_DIR": runtimeDirectory,
            "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let logFile = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        logFile.seekToEndOfFile()
        process.standardError = logFile
        process.standardOutput = logFile
        process.standardInput = FileHandle.nullDevice
        // A child inherits the spawning thread's signal mask, and the test runner's worker threads
        // block most signals: sway would then never see SIGTERM. It gets an empty mask.
        var empty = sigset_t()
        var saved = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try process.run()
        self.process = process
        // setpriv execs sway: the pid is sway's, and names its IPC socket.
        let ipc = runtimeDirectory + "/sway-ipc.\(user.uid).\(process.processIdentifier).sock"
        let deadline = Date().addingTimeInterval(timeout)
        var lastAnswer = "no IPC socket yet"
        while Date() < deadline {
            guard process.isRunning else {
                self.process = nil
                throw Failure("sway exited with status \(process.terminationStatus) at start:\n\(log(tail: 30))")
            }
            if let socket = newSocket(excluding: before), FileManager.default.fileExists(atPath: ipc) {
                let answer = try? swaymsg(["-s", ipc, "-t", "get_version"], timeout: 5)
                if answer?.status == 0 {
                    socketPath = socket
                    ipcSocketPath = ipc
                    return
                }
                lastAnswer = answer.map { "get_version: \($0.status) \($0.output)" } ?? "get_version did not answer"
            }
            usleep(20_000)
        }
        let ps =
            (try? ExternalCommand.run("/bin/ps", ["-u", "\(user.uid)", "-o", "pid,ppid,stat,lstart,args"]))?.output
            ?? ""
        kill(SIGKILL)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: runtimeDirectory)) ?? []
        throw Failure(
            "sway did not come up within \(timeout) s (runtime directory: \(files.sorted()); \(lastAnswer)):\n"
                + log(tail: 30) + "\nprocesses of \(user.name):\n" + ps)
    }

    /// Moves the pointer a few pixels through sway's IPC, as the user: input for idle monitors.
    public func moveCursor() throws {
        cursorStep = -cursorStep
        // On a loaded machine swaymsg was once refused by a running sway ("Unable to connect"):
        // a running sway gets two more tries; a sway that is gone fails at once, with its log.
        var failures: [String] = []
        for attempt in 0..<3 {
            let result = try swaymsg([
                "-s", ipcSocketPath, "--", "seat", "-", "cursor", "move", "\(cursorStep)", "\(cursorStep)",
            ])
            if result.status == 0 { return }
            failures.append(result.output)
            guard process?.isRunning == true else { break }
            if attempt < 2 { usleep(200_000) }
        }
        let state = process?.isRunning == true ? "sway is running" : "sway is not running"
        throw Failure("swaymsg cursor move failed (\(state)): \(failures)\n\(log(tail: 20))")
    }

    /// Ends sway with `signal` (SIGKILL: a crash, leaving its socket file behind) and waits.
    public func kill(_ signal: Int32 = SIGKILL) {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops sway cleanly (SIGTERM), killing it if it lingers.
    public func stop() {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        self.process = nil
    }

    /// The last `lines` lines of sway's log.
    public func log(tail lines: Int) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    private func swaymsg(_ arguments: [String], timeout: Double = 10) throws -> ExternalCommand.Result {
        let command = user.commandPrefix + [Self.swaymsg] + arguments
        return try ExternalCommand.run(command[0], Array(command.dropFirst()), timeout: timeout)
    }

    /// The `wayland-N` sockets in the runtime directory and their identities: inode and change
    /// time, since a socket recreated at the same path may get the inode number of the one it
    /// replaced.
    private func socketInodes() -> [String: [Int64]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runtimeDirectory)) ?? []
        var inodes: [String: [Int64]] = [:]
        for name in names where name.hasPrefix("wayland-") && !name.hasSuffix(".lock") {
            var info = stat()
            let path = runtimeDirectory + "/" + name
            if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK {
                inodes[path] = [Int64(info.st_ino), Int64(info.st_ctim.tv_sec), Int64(info.st_ctim.tv_nsec)]
            }
        }
        return inodes
    }

    /// A Wayland socket that was not there (or was another file) before sway started.
    private func newSocket(excluding before: [String: [Int64]]) -> String? {
        socketInodes().first { path, inode in before[path] != inode }?.key
    }

    /// The compositor could not be run.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with sway's log where it helps.
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
