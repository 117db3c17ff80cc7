import Foundation

/// The real `sitbreak-notify` binary as a child process, subscribed to a ``DaemonProcess`` and
/// talking to a notification server on a ``PrivateBus`` (or any session bus address).
public final class NotifierProcess: @unchecked Sendable {
    // Owned by one test; the Process is only touched from that test's task.
    /// Where its stderr (its log) goes.
    public let logPath: String
    private let directory: TemporaryDirectory
    private var process: Process?

    /// Starts `sitbreak-notify --socket SOCKET --config CONFIG` with `environment` on top of the
    /// daemon's, and the session bus at `busAddress`.
    public init(
        daemon: DaemonProcess, busAddress: String, environment extra: [String: String] = [:],
        arguments: [String] = []
    ) throws {
        directory = try TemporaryDirectory(prefix: "sitbreak-notify-process")
        logPath = directory.path + "/notify.log"
        let binary = try BuiltProducts.require("sitbreak-notify")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--socket", daemon.socketPath, "--config", daemon.configPath] + arguments
        var environment = daemon.environment(extra)
        environment["DBUS_SESSION_BUS_ADDRESS"] = busAddress
        process.environment = environment
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    deinit {
        stop()
        directory.remove()
    }

    /// The process id.
    public var pid: Int32 { process?.processIdentifier ?? 0 }

    /// What it logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Whether it still runs.
    public var isRunning: Bool { process?.isRunning ?? false }

    /// Sends `signal` (SIGHUP reloads).
    public func signal(_ signal: Int32) {
        if let process, process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Waits until the log has a line containing `text` `count` times; throws with the log otherwise.
    public func waitForLog(_ text: String, count: Int = 1, timeout: Double = 10) throws {
        try Self.wait(timeout: timeout, "sitbreak-notify did not log \"\(text)\": \(log)") {
            log.components(separatedBy: text).count - 1 >= count
        }
    }

    /// Stops it (SIGKILL: a child of a test thread may have SIGTERM blocked) and reaps it.
    public func stop() {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Polls `condition` every 20 ms until it holds; throws `failure` after `timeout` seconds.
    public static func wait(timeout: Double, _ failure: @autoclosure () -> String, until condition: () throws -> Bool)
        throws
    {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else { throw LineSocketError(message: failure()) }
            usleep(20_000)
        }
    }
}
