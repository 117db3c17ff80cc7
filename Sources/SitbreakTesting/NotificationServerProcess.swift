import Foundation

/// A real notification server (dunst under Xvfb, mako under headless sway) on a ``PrivateBus``,
/// and its control tool (`dunstctl`, `makoctl`) pointed at the same bus.
public final class NotificationServerProcess: @unchecked Sendable {
    // Owned by one test; the Process is only touched from that test's task.
    /// The bus the server is on.
    public let bus: PrivateBus
    /// A scratch directory for its configuration and log.
    public let directory: TemporaryDirectory
    private let process: Process
    private let environment: [String: String]

    /// Starts `command` (the server and its arguments) with `environment` and the bus, and waits
    /// until it owns `org.freedesktop.Notifications`; fails with its log otherwise.
    public init(
        bus: PrivateBus, command: [String], environment extra: [String: String], package: String,
        configure: (TemporaryDirectory) throws -> [String] = { _ in [] }, timeout: Double = 15
    ) throws {
        guard FileManager.default.isExecutableFile(atPath: command[0]) else {
            throw ExternalCommand.Failure(
                description:
                    "\(command[0]) is missing: install it with `apt-get install -y \(package)` (make deps does)")
        }
        self.bus = bus
        directory = try TemporaryDirectory(prefix: "sitbreak-notification-server")
        var environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "DBUS_SESSION_BUS_ADDRESS": bus.address]
        environment.merge(extra) { _, new in new }
        self.environment = environment
        let arguments = try configure(directory)
        process = Process()
        // Test threads block most signals and children inherit the mask: unblock them before exec.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal"] + command + arguments
        process.environment = environment
        let log = directory.path + "/server.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let owned = try bus.busctl([
                "call", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", "s",
                "org.freedesktop.Notifications",
            ]).contains("true")
            if owned { break }
            guard process.isRunning, Date() < deadline else {
                let output = self.log
                stop()
                throw ExternalCommand.Failure(
                    description: "\(command[0]) did not take org.freedesktop.Notifications: \(output)")
            }
            usleep(20_000)
        }
    }

    deinit {
        stop()
        directory.remove()
    }

    /// What the server printed.
    public var log: String { (try? String(contentsOfFile: directory.path + "/server.log", encoding: .utf8)) ?? "" }

    /// Runs the server's control tool (`/usr/bin/dunstctl`, `/usr/bin/makoctl`) on the bus;
    /// fails with its output when it fails.
    @discardableResult
    public func control(_ tool: String, _ arguments: [String]) throws -> String {
        let result = try ExternalCommand.run(tool, arguments, environment: environment, timeout: 20)
        guard result.status == 0 else {
            throw ExternalCommand.Failure(
                description: "\(tool) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.output)")
        }
        return result.stdout
    }

    /// Stops the server: its name leaves the bus.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
