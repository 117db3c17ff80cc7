import Foundation
import SitbreakDaemon
import SitbreakEngine
import SitbreakSystemd
import SitbreakTesting

/// Collects what the daemon logs, for assertions.
final class RecordingEventLog: EventLog, @unchecked Sendable {
    // Appended from the daemon's thread, read by the test: a lock guards both.
    private let lock = NSLock()
    private var recorded: [Event] = []
    private var messages: [String] = []

    func record(_ event: Event) { lock.withLock { recorded.append(event) } }
    func log(_ priority: LogPriority, _ message: String) { lock.withLock { messages.append(message) } }
    var events: [Event] { lock.withLock { recorded } }
    var lines: [String] { lock.withLock { messages } }
}

/// A whole daemon running in this process on its own thread, with a real socket, state
/// directory and configuration file in a temporary directory.
final class InProcessDaemon: @unchecked Sendable {
    // The daemon object is touched only by its thread after start; the test talks to it through
    // the socket, and stops it through requestStop(), which is thread-safe.
    let directory: TemporaryDirectory
    let socketPath: String
    let configPath: String
    let log = RecordingEventLog()
    private let daemon: Daemon
    private let finished = DispatchSemaphore(value: 0)
    private(set) var exitStatus: Int32 = -1

    static let fastConfig = DaemonConfigs.fast
    static let quietConfig = DaemonConfigs.quiet

    init(config: String = InProcessDaemon.quietConfig, limits: ControlServer.Limits = ControlServer.Limits()) throws {
        directory = try TemporaryDirectory(prefix: "sitbreakd-tests")
        socketPath = directory.path + "/run/sitbreak/control.sock"
        configPath = try directory.write("config.toml", config)
        let options = DaemonOptions(
            configPath: configPath, socketPath: socketPath, stateDirectory: directory.path + "/state")
        daemon = try Daemon(options: options, environment: ["TZ": "UTC"], log: log, limits: limits)
        let box = self
        Thread.detachNewThread {
            box.exitStatus = box.daemon.run()
            box.finished.signal()
        }
    }

    /// Connects a new client.
    func connect() throws -> LineSocket { try LineSocket(path: socketPath) }

    /// Stops the daemon and waits for it; returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        daemon.requestStop()
        _ = finished.wait(timeout: .now() + 10)
        return exitStatus
    }

    deinit {
        directory.remove()
    }
}
