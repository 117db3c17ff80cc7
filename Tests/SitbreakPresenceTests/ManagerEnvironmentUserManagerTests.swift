import Foundation
import SitbreakTesting
import Testing

/// The built `sitbreakd` started before the desktop, against a real `systemd --user`
/// (docs/testing.md §2.9) and its own user bus (dbus-user-session's `dbus.socket` in the manager's
/// `XDG_RUNTIME_DIR`), with a real Xvfb. A desktop that imports its variables into the manager
/// over the bus and never starts graphical-session.target (startx through Debian's Xsession, a
/// sway config running `dbus-update-activation-environment --systemd`) is followed without a
/// restart: the daemon sees the manager's `SetEnvironment` / `UnsetEnvironment` calls through a
/// monitor connection. `systemctl --user` reaches the manager through its private socket, which no
/// bus peer sees: such a change is picked up after the display server's socket appears (the
/// daemon watches `/tmp/.X11-unix` and its `$XDG_RUNTIME_DIR`), or by the next call seen on the
/// bus.
///
/// Named `…UserManagerTests` so that `make test` runs it with the other real-manager suites, alone
/// (`--filter UserManagerTests`).
@Suite(.serialized, .tags(.fixture, .userManager, .xvfb), .needs(.userManager, .xvfb))
struct ManagerEnvironmentUserManagerTests {
    static let config = """
        idle_threshold = "2s"
        [breaks.walk]
        every = "50m"
        duration = "5m"
        """

    @Test func environmentCallsOnTheUserBusAreFollowedWithoutGraphicalSessionTarget() throws {
        let server = try XvfbServer()
        let login = try StagedLogin(config: Self.config)
        defer { withExtendedLifetime(login) {} }  // It stops the daemon and the manager when released.
        let (manager, daemon, client, daemonStarted) = (login.manager, login.daemon, login.client, login.started)
        try wait("the manager did not join its user bus", manager) { try login.managerIsOnTheBus() }
        #expect(try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source == "always")

        // Debian's Xsession (startx, display managers) and sway configs: no graphical-session.target.
        let imported = try ExternalCommand.run(
            "/usr/bin/dbus-update-activation-environment", ["--systemd", "DISPLAY", "XDG_SESSION_TYPE"],
            environment: client.merging(["DISPLAY": server.display, "XDG_SESSION_TYPE": "x11"]) { $1 })
        try #require(imported.status == 0, "\(imported.output)")
        try wait("x11 did not come into use: \(daemon.stderr)", manager) {
            try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source == "x11"
        }
        #expect(
            daemon.stderr.contains(
                "presence: the desktop session appeared: DISPLAY=\(server.display), XDG_SESSION_TYPE=x11"),
            "\(daemon.stderr)")
        #expect(try manager.property("graphical-session.target", "ActiveState") == "inactive")
        #expect(!daemon.stderr.contains("followed only when"), "\(daemon.stderr)")

        // The session ends: its variables are unset over the bus.
        let manager1 = ["org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager"]
        let unset = try ExternalCommand.run(
            "/usr/bin/busctl",
            ["--user", "call"] + manager1 + ["UnsetEnvironment", "as", "2", "DISPLAY", "XDG_SESSION_TYPE"],
            environment: client)
        try #require(unset.status == 0, "\(unset.output)")
        try wait("x11 stayed in use after the session's variables were unset: \(daemon.stderr)", manager) {
            try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source == "always"
        }
        #expect(
            daemon.stderr.contains("presence: the desktop session ended: DISPLAY unset, XDG_SESSION_TYPE unset"),
            "\(daemon.stderr)")

        // Known limit: `systemctl --user set-environment` goes through the manager's private
        // socket: the bus carries nothing, and with no display socket coming or going (this
        // Xvfb's came before the daemon started) the daemon only learns of it with the next call
        // it sees there. /tmp/.X11-unix is the machine's: an X server of another process started
        // or stopped since the daemon did would be an event, so the check holds only without one.
        let privately = try manager.systemctl(["set-environment", "DISPLAY=" + server.display])
        try #require(privately.status == 0, "\(privately.output)")
        usleep(500_000)
        let bareChangeSource = try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source
        if try Self.x11SocketsChanged() < daemonStarted {
            #expect(bareChangeSource == "always")
        }
        let type = try ExternalCommand.run(
            "/usr/bin/busctl", ["--user", "call"] + manager1 + ["SetEnvironment", "as", "1", "XDG_SESSION_TYPE=x11"],
            environment: client)
        try #require(type.status == 0, "\(type.output)")
        try wait("x11 did not come into use again: \(daemon.stderr)", manager) {
            try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source == "x11"
        }
        let appeared = daemon.stderr.split(separator: "\n").filter { $0.contains("the desktop session appeared") }
        #expect(appeared.count == 2, "\(daemon.stderr)")
    }

    /// `startx` with an `.xinitrc` running `systemctl --user import-environment DISPLAY` (or sway's
    /// config doing the same): no call on the bus, no graphical-session.target. The X server's
    /// socket appearing in /tmp/.X11-unix makes the daemon read the manager again over the next
    /// 30 s; the import is seen, x11 comes into use. When the session ends (its variables unset,
    /// the server gone with its socket), the daemon goes back to always.
    @Test func aSystemctlImportAfterAnXServerStartedIsFollowed() throws {
        let login = try StagedLogin(config: Self.config)
        defer { withExtendedLifetime(login) {} }  // It stops the daemon and the manager when released.
        let (manager, daemon) = (login.manager, login.daemon)
        try wait("the manager did not join its user bus", manager) { try login.managerIsOnTheBus() }
        #expect(try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source == "always")

        // Xvfb takes a display number of its own and makes /tmp/.X11-unix/X<n>; then the
        // `.xinitrc` line, through the manager's private socket.
        let server = try XvfbServer()
        let imported = try manager.systemctl(["set-environment", "DISPLAY=" + server.display])
        try #require(imported.status == 0, "\(imported.output)")
        try wait("x11 did not come into use after the X server's socket: \(daemon.stderr)", manager) {
            try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source == "x11"
        }
        #expect(
            daemon.stderr.contains("presence: the desktop session appeared: DISPLAY=\(server.display)\n"),
            "\(daemon.stderr)")
        #expect(try manager.property("graphical-session.target", "ActiveState") == "inactive")

        // The session ends: `systemctl --user unset-environment DISPLAY`, and the server exits,
        // removing its socket.
        let unset = try manager.systemctl(["unset-environment", "DISPLAY"])
        try #require(unset.status == 0, "\(unset.output)")
        server.stop()
        try wait("x11 stayed in use after the X server went: \(daemon.stderr)", manager) {
            try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source == "always"
        }
        #expect(daemon.stderr.contains("presence: the desktop session ended: DISPLAY unset"), "\(daemon.stderr)")
    }

    /// When an entry of /tmp/.X11-unix last came or went (its modification time).
    static func x11SocketsChanged() throws -> Date {
        let attributes = try FileManager.default.attributesOfItem(atPath: "/tmp/.X11-unix")
        return try #require(attributes[.modificationDate] as? Date)
    }

    /// A burst of calls, each changing `DISPLAY`: after every one, the daemon's reading is the
    /// manager's (a read that overtook the call would leave the previous value for ever).
    @Test func everyCallIsReadAfterTheManagerHandledIt() throws {
        let login = try StagedLogin(config: Self.config)
        defer { withExtendedLifetime(login) {} }  // It stops the daemon and the manager when released.
        let (manager, daemon, client) = (login.manager, login.daemon, login.client)
        try wait("the manager did not join its user bus", manager) { try login.managerIsOnTheBus() }
        for number in 1...20 {
            let call = try ExternalCommand.run(
                "/usr/bin/dbus-update-activation-environment", ["--systemd", "DISPLAY"],
                environment: client.merging(["DISPLAY": ":\(900 + number)"]) { $1 })
            try #require(call.status == 0, "\(call.output)")
        }
        try wait("the last DISPLAY was not followed: \(daemon.stderr)", manager) {
            daemon.stderr.contains("presence: the desktop session changed: DISPLAY=:920\n")
        }
    }

    /// `systemctl --user restart dbus.service`: the daemon connects again at once (the socket stays,
    /// held by dbus.socket) and follows the manager on the new bus.
    @Test func aRestartedUserBusIsFollowedAgain() throws {
        let server = try XvfbServer()
        let login = try StagedLogin(config: Self.config)
        defer { withExtendedLifetime(login) {} }  // It stops the daemon and the manager when released.
        let (manager, daemon, client) = (login.manager, login.daemon, login.client)
        func managerOnBus(besides old: String?) throws -> String? {
            let names = try ExternalCommand.run("/usr/bin/busctl", ["--user", "list"], environment: client)
            let line = names.stdout.split(separator: "\n").first { $0.hasPrefix("org.freedesktop.systemd1 ") }
            let pid = try manager.property("dbus.service", "MainPID")
            return line != nil && pid != "0" && pid != old ? pid : nil
        }
        var bus: String?
        try wait("the manager did not join its user bus", manager) {
            bus = try managerOnBus(besides: nil)
            return bus != nil
        }
        let restart = try manager.systemctl(["restart", "dbus.service"])
        try #require(restart.status == 0, "\(restart.output)")
        try wait("the manager did not join the restarted bus", manager) { try managerOnBus(besides: bus) != nil }

        let imported = try ExternalCommand.run(
            "/usr/bin/dbus-update-activation-environment", ["--systemd", "DISPLAY"],
            environment: client.merging(["DISPLAY": server.display]) { $1 })
        try #require(imported.status == 0, "\(imported.output)")
        try wait("x11 did not come into use after the bus restarted: \(daemon.stderr)", manager) {
            try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source == "x11"
        }
    }

    /// Polls `condition` every 50 ms for up to 10 s; fails with `message` and the manager's log.
    func wait(_ message: @autoclosure () -> String, _ manager: SystemdUserManager, _ condition: () throws -> Bool)
        throws
    {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? condition()) == true { return }
            usleep(50_000)
        }
        try #require(Bool(false), "\(message()) within 10 s\n\(manager.log)")
    }
}

/// A login as these tests stage it: a real user manager with its own user bus, and the built
/// daemon started on that bus before any desktop. Released, it stops the daemon, then the manager.
final class StagedLogin {
    let manager: SystemdUserManager
    let daemon: DaemonProcess
    /// The environment of a client of the manager's user bus (`busctl --user`, `dbus-update-…`).
    let client: [String: String]
    /// Just before the daemon started.
    let started: Date

    init(config: String) throws {
        manager = try SystemdUserManager()
        let busAddress = "unix:path=" + manager.runtimeDirectory + "/bus"
        client = manager.environment.merging(["DBUS_SESSION_BUS_ADDRESS": busAddress]) { $1 }
        do {
            daemon = try DaemonProcess(config: config)
            started = Date()
            // The daemon's first connection starts the manager's dbus.service through dbus.socket.
            try daemon.start(environment: ["DBUS_SESSION_BUS_ADDRESS": busAddress])
        } catch {
            manager.stop()
            throw error
        }
    }

    deinit {
        daemon.signal(SIGTERM)
        manager.stop()
    }

    /// Whether the manager has joined its user bus (it does after the bus started).
    func managerIsOnTheBus() throws -> Bool {
        let names = try ExternalCommand.run("/usr/bin/busctl", ["--user", "list"], environment: client)
        return names.stdout.contains("org.freedesktop.systemd1 ")
    }
}
