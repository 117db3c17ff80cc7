import Foundation
import SitbreakSystem

/// A private `dbus-daemon` for one test (docs/testing.md §2), standing in for the session bus or, given
/// as `DBUS_SYSTEM_BUS_ADDRESS`, for the system bus: nothing of the machine's own buses is touched.
public final class PrivateBus: @unchecked Sendable {
    // Owned by one test; the Process is only touched from that test's task.
    /// The bus address, `unix:path=…`.
    public let address: String
    private let directory: TemporaryDirectory
    private let process: Process

    /// Starts the daemon and waits until its socket accepts connections. With
    /// `serviceDirectory`, services described there (`NAME.service` files) are D-Bus activatable
    /// on this bus. With `parent`, the bus's directory is made there rather than in the system's
    /// temporary directory (which a unit with `PrivateTmp=` cannot see). With `refusesMonitors`, its
    /// policy denies `org.freedesktop.DBus.Monitoring` (`BecomeMonitor`), as a locked-down bus may.
    public init(
        timeout: Double = 10, serviceDirectory: String? = nil, parent: String? = nil, refusesMonitors: Bool = false
    ) throws {
        let executable = "/usr/bin/dbus-daemon"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ExternalCommand.Failure(
                description: "\(executable) is missing: install it with `apt-get install -y dbus`")
        }
        directory = try TemporaryDirectory(prefix: "sitbreak-bus", in: parent)
        let socket = directory.path + "/bus"
        address = "unix:path=" + socket
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // The session configuration lets anyone own any name, which a mocked logind needs.
        process.arguments = ["--session", "--nofork", "--nopidfile", "--address=" + address]
        if serviceDirectory != nil || refusesMonitors {
            // The session configuration's policy with only this service directory (or none): the machine's
            // own services (an installed dunst's, say) must not answer for the test's.
            let services = serviceDirectory.map { "<servicedir>\($0)</servicedir>" } ?? ""
            let monitoring =
                refusesMonitors
                ? #"<deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Monitoring"/>"#
                : ""
            let config = try directory.write(
                "bus.conf",
                """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>\(address)</listen>
                  \(services)
                  <policy context="default">
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                    \(monitoring)
                  </policy>
                </busconfig>
                """)
            process.arguments = ["--config-file=" + config, "--nofork", "--nopidfile"]
        }
        let log = directory.path + "/dbus-daemon.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // The socket file appears at bind(), a moment before listen(): wait until a connection is
        // accepted, or a client connecting at once may be refused (seen on a loaded machine).
        while !Self.accepts(socket) {
            guard process.isRunning, Date() < deadline else {
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                stop()
                throw ExternalCommand.Failure(description: "dbus-daemon did not start: \(output)")
            }
            usleep(10_000)
        }
    }

    /// Whether a stream connection to the socket at `path` is accepted.
    static func accepts(_ path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path), let address = try? UnixSocketAddress(path) else {
            return false
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return address.connect(fd) == 0
    }

    deinit {
        stop()
    }

    /// Stops the daemon (every connection to it closes) and removes its directory.
    public func stop() {
        if process.isRunning {
            // SIGKILL: a child started from a test thread inherits that thread's blocked signals,
            // SIGTERM among them, so a polite terminate() can go unheard.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        directory.remove()
    }

    /// Runs `busctl --address=ADDRESS ARGUMENTS…` (e.g. `call NAME PATH IFACE MEMBER SIG ARGS…`)
    /// and returns its stdout; fails with its output when it fails.
    @discardableResult
    public func busctl(_ arguments: [String]) throws -> String {
        let result = try ExternalCommand.run(
            "/usr/bin/busctl", ["--address=" + address] + arguments, package: "systemd", timeout: 20)
        guard result.status == 0 else {
            throw ExternalCommand.Failure(description: "busctl \(arguments.joined(separator: " ")): \(result.output)")
        }
        return result.stdout
    }
}
