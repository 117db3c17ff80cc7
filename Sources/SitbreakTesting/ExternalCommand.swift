import Foundation

/// Runs a program to completion and keeps what it printed: for tests that drive systemd's own
/// tools (`systemd-analyze`, `journalctl`, `unshare`, `make`) as a person would.
public enum ExternalCommand {
    /// What a run left behind.
    public struct Result: Sendable {
        /// The exit status (or 128 + signal number when a signal ended it).
        public var status: Int32
        /// Everything written to stdout.
        public var stdout: String
        /// Everything written to stderr.
        public var stderr: String
        /// stdout and stderr, for failure messages.
        public var output: String { stdout + stderr }
    }

    /// A program could not be run at all.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, naming the program and, where known, the Debian package providing it.
        public var description: String
    }

    /// Runs `executable` (an absolute path) with `arguments`; `environment` entries are added to
    /// (or replace) this process's environment. Fails when the program does not exist, naming the
    /// Debian package `package` that provides it, and when it runs longer than `timeout` seconds
    /// (it is then killed).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        directory: String? = nil, package: String? = nil, timeout: Double = 120
    ) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure(
                description: "\(executable) is missing"
                    + (package.map { ": install it with `apt-get install -y \($0)`" } ?? ""))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        // Files rather than pipes: a chatty program never blocks on a full pipe while we wait.
        let scratch = try TemporaryDirectory(prefix: "sitbreak-command")
        defer { scratch.remove() }
        let out = scratch.path + "/stdout"
        let err = scratch.path + "/stderr"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) ran over \(timeout) s")
        }
        process.waitUntilExit()
        let status =
            process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Result(
            status: status,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
