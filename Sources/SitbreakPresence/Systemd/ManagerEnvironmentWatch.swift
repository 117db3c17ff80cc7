import Glibc
import SitbreakDBus
import SitbreakSystem

/// Follows the user service manager's environment block (`org.freedesktop.systemd1.Manager`'s
/// `Environment` on the user bus) and hands every new reading of its watched variables to
/// `changed`, pushed, never polled.
///
/// systemd declares `Environment` with `EmitsChangedSignal=false`: `systemctl --user
/// import-environment` changes it without a signal. Two things are pushed instead:
///
/// - The method calls that change it, seen through a second, monitor-only connection to the user
///   bus (``BusMonitor``: `BecomeMonitor` with rules for `SetEnvironment`, `UnsetEnvironment` and
///   `UnsetAndSetEnvironment` on the manager). That is what `dbus-update-activation-environment
///   --systemd` sends (Debian's Xsession for startx and display managers, sway configs, i3 and
///   other window managers' guides), and `busctl --user call`. It does not see `systemctl --user
///   import-environment`, `set-environment` or `unset-environment`: systemctl reaches the manager
///   through its private socket (`$XDG_RUNTIME_DIR/systemd/private`), not through the bus.
/// - The step desktops take right after importing their variables: starting
///   `graphical-session.target` (gnome-session, plasma, sway's `sway-session.target`), whose unit
///   `PropertiesChanged` systemd sends to subscribers (``start(_:)`` calls `Subscribe`). This
///   catches the systemctl route of such desktops.
/// - The step before importing: the display server making its socket (`wayland-<n>` in
///   `$XDG_RUNTIME_DIR`, `X<n>` in `/tmp/.X11-unix`), or removing it when the desktop ends, seen
///   with inotify (``DisplaySocketWatch``). The block is read then and again 1, 3, 10 and 30 s
///   later, until a reading changed. This catches the systemctl route of `.xinitrc` files and
///   sway configs that start no target.
///
/// So the block is read at start, when the manager gains an owner, after each environment call
/// seen on the bus, when graphical-session.target changes state, after a display socket came or
/// went, and on a `PropertiesChanged` of the manager naming `Environment` (which a future systemd,
/// or another implementation of the interface, may send). If the bus refuses `BecomeMonitor`, the
/// rest still works (``Start/partly(_:)``). A `systemctl --user set-environment` with none of
/// these around it is seen only at the next of them.
///
/// The read after a call seen on the bus cannot overtake the call: the bus queues the call to the
/// manager before it copies it to monitors, the `Get` sent after the copy arrived is queued behind
/// it on the manager's one connection, and the manager handles its messages in order
/// (`SetEnvironment` from a peer of its own user completes in its handler, no polkit round trip).
final class ManagerEnvironmentWatch {
    /// The manager's name on the user bus.
    static let service = "org.freedesktop.systemd1"
    /// How long a call to the manager may hold the daemon's loop: it answers in microseconds, and
    /// a manager that hangs must not delay presence and replies for the bus's default 2 s.
    static let callTimeoutMicroseconds: UInt64 = 250_000
    /// The manager's object.
    static let path = "/org/freedesktop/systemd1"
    /// The interface carrying `Environment`, `Subscribe`.
    static let interface = "org.freedesktop.systemd1.Manager"
    /// `graphical-session.target`'s object path (unit names are escaped: `-` is `_2d`, `.` `_2e`).
    static let graphicalSessionPath = "/org/freedesktop/systemd1/unit/graphical_2dsession_2etarget"
    /// The manager's methods that change `Environment`.
    static let environmentMethods = ["SetEnvironment", "UnsetEnvironment", "UnsetAndSetEnvironment"]
    /// The monitor's rules: calls of ``environmentMethods`` on the manager, from anyone.
    static let monitorRules = environmentMethods.map { member in
        "type='method_call',path='\(path)',interface='\(interface)',member='\(member)'"
    }

    /// What ``start(_:)`` could watch.
    enum Start: Equatable {
        /// Everything: the bus's environment calls, the manager and graphical-session.target.
        case following
        /// Not the environment calls on the bus (why), only the manager and
        /// graphical-session.target.
        case partly(String)
        /// Nothing (why).
        case notFollowed(String)
    }

    private let changed: (_ reading: ManagerEnvironment, _ previous: ManagerEnvironment?) -> Void
    /// Where display servers' sockets are watched.
    private let socketDirectories: [DisplaySocketDirectory]
    /// Watches them while started; nil when stopped or when inotify failed.
    private(set) var sockets: DisplaySocketWatch?
    /// Why display sockets are not watched, per directory (the journal says it once).
    private(set) var unwatchedSocketDirectories: [String] = []
    private var connection: BusConnection?
    private var matches: [BusMatch] = []
    private var closeToken: Int?
    /// Whether ``busClosed(_:)`` is starting again.
    private var reconnecting = false
    /// Sees the environment calls on the user bus; nil when the bus refused it.
    private var monitor: BusMonitor?
    /// The last reading handed on; nil before the first.
    private(set) var last: ManagerEnvironment?
    /// Whether the manager owns its name on the bus (as last seen). Nothing is asked of it while
    /// it does not: session buses ship an activation file for `org.freedesktop.systemd1`, so a
    /// call to the absent name starts an activation that may take seconds to fail, and these
    /// calls wait on the daemon's only thread (a display socket in /tmp/.X11-unix, any user's,
    /// asks for a reading).
    private var managerOnBus = false

    /// Creates the watch; nothing connects before ``start(_:)``. `socketDirectories`: where
    /// display servers' sockets appear (``DisplaySocketDirectory/standard(environment:)``).
    init(
        socketDirectories: [DisplaySocketDirectory],
        changed: @escaping (_ reading: ManagerEnvironment, _ previous: ManagerEnvironment?) -> Void
    ) {
        self.socketDirectories = socketDirectories
        self.changed = changed
    }

    /// Connects to the user bus, watches, and reads the block once (calling `changed` before it
    /// returns when the manager is there). Returns what can be watched.
    func start(_ buses: BusProvider) -> Start {
        stop()
        let connection: BusConnection
        do {
            connection = try buses.session()
        } catch {
            return .notFollowed("no user bus (\(error))")
        }
        let properties = "org.freedesktop.DBus.Properties"
        do {
            matches = [
                try connection.watchName(Self.service) { [weak self] hasOwner in
                    guard let self else { return }
                    self.managerOnBus = hasOwner
                    if hasOwner { self.subscribeAndRead() }
                },
                try connection.match(
                    BusConnection.signalRule(
                        sender: Self.service, path: Self.path, interface: properties, member: "PropertiesChanged",
                        arg0: Self.interface)
                ) { [weak self] message in
                    guard let self, Self.namesEnvironment(message) else { return }
                    self.read()
                },
                try connection.match(
                    BusConnection.signalRule(
                        sender: Self.service, path: Self.graphicalSessionPath, interface: properties,
                        member: "PropertiesChanged")
                ) { [weak self] _ in self?.read() },
            ]
        } catch {
            stop()
            return .notFollowed("watching the user service manager failed: \(error)")
        }
        self.connection = connection
        closeToken = connection.onClose { [weak self] in self?.busClosed(buses) }
        let outcome: Start
        do {
            monitor = try startMonitor(connection, buses)
            outcome = .following
        } catch {
            outcome = .partly("monitoring the user bus for environment calls failed: \(error)")
        }
        watchSockets(buses.loop)
        // After the monitor: a call made before it was watching is in this reading.
        subscribeAndRead()
        return outcome
    }

    /// The user bus closed the connection (it restarted, or the session ends): one new start at
    /// once. A socket-activated bus (dbus-user-session's `dbus.socket`, dbus-broker's) keeps its
    /// socket while it restarts: the new connection waits in the socket's backlog and is taken
    /// when the bus is up, and the manager, rejoining, gains its name again. A bus whose socket is
    /// gone is not waited for: following ends there, until the daemon restarts.
    private func busClosed(_ buses: BusProvider) {
        stop()
        // A connection closed again while this one is being made is not retried in a loop.
        guard !reconnecting else { return }
        reconnecting = true
        defer { reconnecting = false }
        _ = start(buses)
    }

    /// The monitor connection to the same bus as `connection`.
    private func startMonitor(_ connection: BusConnection, _ buses: BusProvider) throws(BusError) -> BusMonitor {
        guard let address = connection.address else {
            throw BusError(operation: "finding the user bus's address", code: ENOENT)
        }
        let monitor = try BusMonitor(address: address, rules: Self.monitorRules, loop: buses.loop) {
            [weak self] message in
            guard let self, Self.isEnvironmentCall(message) else { return }
            self.read()
        }
        // The bus going away closes both connections, and the main one's handler stops the watch;
        // a monitor dropped alone (a bus may drop a monitor that lags) leaves the rest working.
        monitor.onClose { [weak self] in self?.monitor = nil }
        return monitor
    }

    /// Watches the display sockets; a directory that cannot be watched only loses its half.
    private func watchSockets(_ loop: EventLoop) {
        do {
            let sockets = try DisplaySocketWatch(directories: socketDirectories, loop: loop) { [weak self] in
                self?.read() ?? false
            }
            self.sockets = sockets
            unwatchedSocketDirectories = sockets.unwatched
        } catch {
            unwatchedSocketDirectories = socketDirectories.map { "\($0.path): \(error)" }
        }
    }

    /// Cancels the matches and the socket watch; ``last`` is kept, so that a restart compares with
    /// it.
    func stop() {
        managerOnBus = false
        sockets?.stop()
        sockets = nil
        monitor?.close()
        monitor = nil
        for match in matches { match.cancel() }
        matches = []
        if let closeToken { connection?.removeCloseHandler(closeToken) }
        closeToken = nil
        connection = nil
    }

    /// Asks the manager for unit signals (without a subscriber it sends none) and reads the block.
    private func subscribeAndRead() {
        guard let connection else { return }
        managerOnBus = (try? connection.nameHasOwner(Self.service)) == true
        guard managerOnBus else { return }
        _ = try? connection.call(
            Self.service, Self.path, Self.interface, "Subscribe", timeoutMicroseconds: Self.callTimeoutMicroseconds)
        read()
    }

    /// Reads the block and hands it on if it changed; returns whether it did.
    @discardableResult
    private func read() -> Bool {
        guard let connection, managerOnBus,
            let value = try? connection.property(
                Self.service, Self.path, Self.interface, "Environment",
                timeoutMicroseconds: Self.callTimeoutMicroseconds),
            let elements = value.elements
        else { return false }
        let reading = ManagerEnvironment(assignments: elements.compactMap(\.stringValue))
        guard reading != last else { return false }
        let previous = last
        last = reading
        changed(reading, previous)
        return true
    }

    /// Whether a message the monitor was shown is a call changing the manager's environment (the
    /// bus also sends the monitor its own `NameAcquired` and `NameLost`).
    static func isEnvironmentCall(_ message: BusMessage) -> Bool {
        message.interface == interface && environmentMethods.contains(message.member ?? "")
    }

    /// Whether a manager `PropertiesChanged` (interface, changed a{sv}, invalidated as) names
    /// `Environment`.
    static func namesEnvironment(_ message: BusMessage) -> Bool {
        guard let arguments = try? message.arguments(), arguments.count == 3 else { return false }
        if arguments[1]["Environment"] != nil { return true }
        return arguments[2].elements?.contains { $0.stringValue == "Environment" } ?? false
    }
}
