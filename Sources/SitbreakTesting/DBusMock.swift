import Foundation

/// A python3-dbusmock service on a ``PrivateBus`` (docs/testing.md §2): `logind` on a bus standing in
/// for the system bus, or a template of the tests' own (a Python file) for GNOME or KDE services.
public final class DBusMock: @unchecked Sendable {
    // Owned by one test; the Process is only touched from that test's task.
    /// The bus the mock is on.
    public let bus: PrivateBus
    /// The well-known name it owns.
    public let name: String
    private let process: Process
    private let logPath: String
    private let directory: TemporaryDirectory

    /// Starts `python3 -m dbusmock --template TEMPLATE` on `bus` (as the system bus when
    /// `system`), with template `parameters` as JSON, and waits until it owns `name`.
    public init(
        bus: PrivateBus, template: String, name: String, system: Bool, parameters: String? = nil,
        timeout: Double = 20
    ) throws {
        self.bus = bus
        self.name = name
        let python = "/usr/bin/python3"
        let check = try ExternalCommand.run(python, ["-c", "import dbusmock"], timeout: 30)
        guard check.status == 0 else {
            throw ExternalCommand.Failure(
                description: "python3-dbusmock is missing: install it with `apt-get install -y python3-dbusmock`")
        }
        directory = try TemporaryDirectory(prefix: "sitbreak-dbusmock")
        logPath = directory.path + "/dbusmock.log"
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        var arguments = ["-m", "dbusmock", "--template", template]
        if system { arguments.append("--system") }
        if let parameters { arguments += ["--parameters", parameters] }
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment[system ? "DBUS_SYSTEM_BUS_ADDRESS" : "DBUS_SESSION_BUS_ADDRESS"] = bus.address
        process.environment = environment
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while !(try hasOwner()) {
            guard process.isRunning, Date() < deadline else {
                let output = log
                stop()
                throw ExternalCommand.Failure(description: "dbusmock \(template) did not take \(name): \(output)")
            }
            usleep(20_000)
        }
    }

    deinit {
        stop()
    }

    /// What the mock printed (its method-call log).
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Whether the mock's name has an owner on the bus.
    public func hasOwner() throws -> Bool {
        let reply = try bus.busctl([
            "call", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", "s", name,
        ])
        return reply.contains("true")
    }

    /// Stops the mock: its name disappears from the bus.
    public func stop() {
        if process.isRunning {
            // SIGKILL: a child started from a test thread inherits that thread's blocked signals,
            // SIGTERM among them, so a polite terminate() can go unheard.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        directory.remove()
    }

    /// `busctl call NAME PATH INTERFACE MEMBER [SIGNATURE ARGS…]` against the mock.
    @discardableResult
    public func call(_ path: String, _ interface: String, _ member: String, _ arguments: [String] = []) throws
        -> String
    {
        try bus.busctl(["call", name, path, interface, member] + arguments)
    }

    /// Makes the mock emit a signal through dbusmock's own `EmitSignal`, e.g.
    /// `emit("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", "b", ["true"])`.
    public func emit(_ path: String, _ interface: String, _ member: String, _ signature: String, _ values: [String])
        throws
    {
        // EmitSignal(interface, name, signature, args as av): each argument as a variant.
        var variants: [String] = []
        let types = Array(signature)
        var index = 0
        while index < types.count {
            variants += [String(types[index]), values[index]]
            index += 1
        }
        try call(
            path, "org.freedesktop.DBus.Mock", "EmitSignal",
            ["sssav", interface, member, signature, String(values.count)] + variants)
    }
}
