import Foundation

/// The real `sitbreakd` binary running as a child process in a temporary home, for tests that
/// need signals, `kill -9`, sd_notify or socket activation.
public final class DaemonProcess: @unchecked Sendable {
    // Owned by one test; the Process object is only touched from that test's task.
    /// The temporary directory holding config, state, runtime dir and logs.
    public let directory: TemporaryDirectory
    /// `$XDG_RUNTIME_DIR` of the daemon.
    public var runtimeDirectory: String { directory.path + "/run" }
    /// The control socket.
    public var socketPath: String { runtimeDirectory + "/sitbreak/control.sock" }
    /// The configuration file.
    public let configPath: String
    /// Where stderr goes.
    public var stderrPath: String { directory.path + "/stderr.log" }
    /// The running process, if started.
    public private(set) var process: Process?

    /// Prepares a home with `config`; `start()` runs the daemon.
    public init(config: String) throws {
        directory = try TemporaryDirectory(prefix: "sitbreakd-process-tests")
        configPath = try directory.write("config.toml", config)
        try FileManager.default.createDirectory(
            atPath: runtimeDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// The environment the daemon runs with (plus `extra`).
    public func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "PATH": "/usr/bin:/bin", "HOME": directory.path, "TZ": "UTC", "XDG_RUNTIME_DIR": runtimeDirectory,
            "XDG_STATE_HOME": directory.path + "/state", "XDG_CONFIG_HOME": directory.path + "/config",
        ]
        env.merge(extra) { _, new in new }
        return env
    }

    /// Starts `sitbreakd --config CONFIG` (or `wrapper…` around it) and, unless told otherwise,
    /// waits until its socket answers.
    public func start(
        environment extra: [String: String] = [:], wrapper: [String] = [], arguments: [String] = [],
        waitForSocket: Bool = true
    ) throws {
        let binary = try BuiltProducts.require("sitbreakd")
        let process = Process()
        let command = wrapper + [binary, "--config", configPath] + arguments
        process.executableURL = URL(fileURLWithPath: command[0].hasPrefix("/") ? command[0] : "/usr/bin/" + command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = environment(extra)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        log.seekToEndOfFile()
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        if waitForSocket { try waitUntilAnswering() }
    }

    /// Waits until a `version` request on the socket gets a reply.
    public func waitUntilAnswering(timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let client = try? LineSocket(path: socketPath),
                (try? client.request(#"{"id":0,"cmd":"version"}"#, timeout: 1)) != nil
            {
                return
            }
            if let process, !process.isRunning {
                throw LineSocketError(message: "sitbreakd exited with \(process.terminationStatus): \(stderr)")
            }
            usleep(20_000)
        }
        throw LineSocketError(message: "sitbreakd did not answer on \(socketPath) within \(timeout) s: \(stderr)")
    }

    /// Sends `signal` and, for SIGTERM/SIGINT/SIGKILL, waits for the process to end.
    @discardableResult
    public func signal(_ signal: Int32, wait: Bool = true) -> Int32? {
        guard let process else { return nil }
        kill(process.processIdentifier, signal)
        guard wait else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// What the daemon wrote to stderr so far.
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// A new client of the socket.
    public func connect() throws -> LineSocket { try LineSocket(path: socketPath) }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        directory.remove()
    }
}
