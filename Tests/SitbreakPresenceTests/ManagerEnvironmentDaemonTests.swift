import Foundation
import SitbreakTesting
import Testing

/// The built `sitbreakd` started at login before the desktop: no `DISPLAY` of its own, a user
/// service manager (python3-dbusmock, with systemd's signals) on its user bus, and a real Xvfb.
/// When the desktop imports `DISPLAY` into the manager and starts graphical-session.target, the
/// daemon switches to x11 without a restart, logs it once, and x11 input brings `back`.
@Suite(.serialized, .tags(.fixture, .dbusmock, .xvfb), .needs(.dbusmock, .xvfb)) struct ManagerEnvironmentDaemonTests {
    static let config = """
        idle_threshold = "2s"
        [breaks.walk]
        every = "50m"
        duration = "5m"
        """
    static let path = "/org/freedesktop/systemd1"
    static let interface = "org.freedesktop.systemd1.Manager"

    static func manager(on bus: PrivateBus, environment: [String] = [], emitsEnvironment: Bool = false) throws
        -> DBusMock
    {
        let list = environment.map { "\"\($0)\"" }.joined(separator: ", ")
        return try SessionBusMocks.start(
            "systemd_user_manager.py", name: "org.freedesktop.systemd1", on: bus,
            parameters: #"{"environment": [\#(list)], "emits_environment": \#(emitsEnvironment)}"#)
    }

    /// The idle chain's source in use, after waiting up to `timeout` seconds for `expected`.
    static func idleSourceInUse(_ daemon: DaemonProcess, becoming expected: String, timeout: Double = 5) throws
        -> String?
    {
        let deadline = Date().addingTimeInterval(timeout)
        var current: String?
        repeat {
            current = try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.source
            if current == expected { break }
            usleep(50_000)
        } while Date() < deadline
        return current
    }

    /// How the daemon learns of the change.
    enum Push: CaseIterable, Sendable {
        /// The desktop starts graphical-session.target after importing (systemd sends nothing for
        /// `Environment` itself), on a bus that refuses monitors: the daemon says it follows only
        /// this.
        case graphicalSessionTarget
        /// Another implementation of the manager sends `PropertiesChanged` for `Environment` (on a
        /// bus that refuses monitors).
        case propertiesChanged
        /// Nothing but the `SetEnvironment` call on the bus (startx through Debian's Xsession, a
        /// sway config's `dbus-update-activation-environment --systemd`): the daemon's monitor
        /// connection sees it.
        case environmentCallOnly
    }

    @Test(arguments: Push.allCases) func theDesktopAppearingAfterTheDaemonBringsX11IntoUse(push: Push) throws {
        let bus = try PrivateBus(refusesMonitors: push != .environmentCallOnly)
        defer { bus.stop() }
        let manager = try Self.manager(on: bus, emitsEnvironment: push == .propertiesChanged)
        defer { manager.stop() }
        let server = try XvfbServer()
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start(environment: SessionBusMocks.environment(bus))
        let before = try X11DaemonTests.idleChain(daemon)
        #expect(before.first { $0.source == "x11" }?.detail == "DISPLAY is not set", "\(before)")
        #expect(before.first { $0.inUse }?.source == "always", "\(before)")
        let partly = daemon.stderr.split(separator: "\n").filter { $0.contains("followed only when") }
        if push == .environmentCallOnly {
            #expect(partly.isEmpty, "\(daemon.stderr)")
        } else {
            #expect(partly.count == 1, "\(daemon.stderr)")
            let expected =
                "presence: the desktop session's environment is followed only when graphical-session.target "
                + "changes, not when it is imported without it: monitoring the user bus for environment calls failed: "
            #expect(partly.first?.contains(expected) == true, "\(daemon.stderr)")
        }

        // The desktop logs in: input, then `dbus-update-activation-environment --systemd DISPLAY
        // XDG_SESSION_TYPE` and maybe graphical-session.target.
        try server.moveMouse()
        try manager.call(
            Self.path, Self.interface, "SetEnvironment",
            ["as", "2", "DISPLAY=\(server.display)", "XDG_SESSION_TYPE=x11"])
        if push == .graphicalSessionTarget {
            try manager.call(Self.path, Self.interface, "StartUnit", ["ss", "graphical-session.target", "replace"])
        }
        #expect(try Self.idleSourceInUse(daemon, becoming: "x11") == "x11", "\(daemon.stderr)")
        let after = try X11DaemonTests.idleChain(daemon)
        #expect(after.first { $0.inUse }?.detail == "X11 MIT-SCREEN-SAVER on \(server.display), XSync IDLETIME alarms")
        let appeared = daemon.stderr.split(separator: "\n").filter { $0.contains("presence: the desktop session ") }
        #expect(appeared.count == 1, "\(daemon.stderr)")
        #expect(
            appeared.first?.hasSuffix(
                "presence: the desktop session appeared: DISPLAY=\(server.display), XDG_SESSION_TYPE=x11") == true,
            "\(daemon.stderr)")

        // X11 now answers: no input for the threshold is away, a move is back.
        let events = try daemon.connect()
        _ = try events.request(#"{"id":1,"cmd":"subscribe"}"#)
        let away = events.waitForLine(timeout: 5) { $0.contains(#""event":"away""#) }
        #expect(away != nil, "no away from x11: \(daemon.stderr)")
        try server.moveMouse()
        let back = events.waitForLine(timeout: 3) { $0.contains(#""event":"back""#) }
        #expect(back != nil, "no back after an x11 move: \(daemon.stderr)")
    }

    @Test func aDesktopAlreadyInTheManagerIsUsedFromTheStart() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let server = try XvfbServer()
        let manager = try Self.manager(on: bus, environment: ["DISPLAY=\(server.display)"])
        defer { manager.stop() }
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start(environment: SessionBusMocks.environment(bus))
        let chain = try X11DaemonTests.idleChain(daemon)
        #expect(chain.first { $0.inUse }?.source == "x11", "\(chain)")
    }

    /// A new login on another display: graphical-session.target stops, the desktop imports the new
    /// `DISPLAY` and starts it again; x11, in use on the old display, moves to the new one.
    @Test func aNewDisplayMovesX11InUseToIt() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let first = try XvfbServer()
        let second = try XvfbServer()
        let manager = try Self.manager(on: bus, environment: ["DISPLAY=\(first.display)"])
        defer { manager.stop() }
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start(environment: SessionBusMocks.environment(bus))
        let onFirst = try X11DaemonTests.idleChain(daemon).first { $0.inUse }
        #expect(onFirst?.detail?.contains("on \(first.display),") == true, "\(String(describing: onFirst))")

        try manager.call(Self.path, Self.interface, "StopUnit", ["ss", "graphical-session.target", "replace"])
        try manager.call(Self.path, Self.interface, "SetEnvironment", ["as", "1", "DISPLAY=\(second.display)"])
        try manager.call(Self.path, Self.interface, "StartUnit", ["ss", "graphical-session.target", "replace"])
        let deadline = Date().addingTimeInterval(5)
        var detail: String?
        repeat {
            detail = try X11DaemonTests.idleChain(daemon).first { $0.inUse }?.detail
            if detail?.contains("on \(second.display),") == true { break }
            usleep(50_000)
        } while Date() < deadline
        #expect(detail == "X11 MIT-SCREEN-SAVER on \(second.display), XSync IDLETIME alarms", "\(daemon.stderr)")
        #expect(daemon.stderr.contains("presence: the desktop session changed: DISPLAY=\(second.display)"))
    }

    @Test func theDaemonsOwnDisplayWinsOverTheManagersAtStart() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let server = try XvfbServer()
        let manager = try Self.manager(on: bus, environment: ["DISPLAY=:999"])
        defer { manager.stop() }
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start(environment: SessionBusMocks.environment(bus).merging(server.environment) { $1 })
        let chain = try X11DaemonTests.idleChain(daemon)
        #expect(chain.first { $0.inUse }?.detail?.contains("on \(server.display),") == true, "\(chain)")
        #expect(!daemon.stderr.contains("the desktop session"), "\(daemon.stderr)")
    }
}
