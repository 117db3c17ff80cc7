import SitbreakDBus
import SitbreakSystem

/// Follows the user service manager's environment block (`org.freedesktop.systemd1.Manager`'s
/// `Environment` on the user bus) and hands every new reading of its watched variables to
/// `changed`, pushed, never polled.
///
/// systemd declares `Environment` with `EmitsChangedSignal=false`: `systemctl --user
/// import-environment` changes it without a signal. What is pushed is the step desktops take
/// right after importing their variables: starting `graphical-session.target` (gnome-session,
/// plasma, sway's `sway-session.target`), whose unit `PropertiesChanged` systemd sends to
/// subscribers (``start(_:)`` calls `Subscribe`). So the block is read at start, when the
/// manager gains an owner, when graphical-session.target changes state, and on a
/// `PropertiesChanged` of the manager naming `Environment` (which a future systemd, or another
/// implementation of the interface, may send).
final class ManagerEnvironmentWatch {
    /// The manager's name on the user bus.
    static let service = "org.freedesktop.systemd1"
    /// The manager's object.
    static let path = "/org/freedesktop/systemd1"
    /// The interface carrying `Environment`, `Subscribe`.
    static let interface = "org.freedesktop.systemd1.Manager"
    /// `graphical-session.target`'s object path (unit names are escaped: `-` is `_2d`, `.` `_2e`).
    static let graphicalSessionPath = "/org/freedesktop/systemd1/unit/graphical_2dsession_2etarget"

    private let changed: (_ reading: ManagerEnvironment, _ previous: ManagerEnvironment?) -> Void
    private var connection: BusConnection?
    private var matches: [BusMatch] = []
    private var closeToken: Int?
    /// The last reading handed on; nil before the first.
    private(set) var last: ManagerEnvironment?

    /// Creates the watch; nothing connects before ``start(_:)``.
    init(changed: @escaping (_ reading: ManagerEnvironment, _ previous: ManagerEnvironment?) -> Void) {
        self.changed = changed
    }

    /// Connects to the user bus, watches, and reads the block once (calling `changed` before it
    /// returns when the manager is there). Returns why nothing can be watched, or nil.
    func start(_ buses: BusProvider) -> String? {
        stop()
        let connection: BusConnection
        do {
            connection = try buses.session()
        } catch {
            return "no user bus (\(error))"
        }
        let properties = "org.freedesktop.DBus.Properties"
        do {
            matches = [
                try connection.watchName(Self.service) { [weak self] hasOwner in
                    guard let self, hasOwner else { return }
                    self.subscribeAndRead()
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
            return "watching the user service manager failed: \(error)"
        }
        self.connection = connection
        closeToken = connection.onClose { [weak self] in self?.stop() }
        subscribeAndRead()
        return nil
    }

    /// Cancels the matches; ``last`` is kept, so that a restart compares with it.
    func stop() {
        for match in matches { match.cancel() }
        matches = []
        if let closeToken { connection?.removeCloseHandler(closeToken) }
        closeToken = nil
        connection = nil
    }

    /// Asks the manager for unit signals (without a subscriber it sends none) and reads the block.
    private func subscribeAndRead() {
        guard let connection, (try? connection.nameHasOwner(Self.service)) == true else { return }
        _ = try? connection.call(Self.service, Self.path, Self.interface, "Subscribe")
        read()
    }

    private func read() {
        guard let connection,
            let value = try? connection.property(Self.service, Self.path, Self.interface, "Environment"),
            let elements = value.elements
        else { return }
        let reading = ManagerEnvironment(assignments: elements.compactMap(\.stringValue))
        guard reading != last else { return }
        let previous = last
        last = reading
        changed(reading, previous)
    }

    /// Whether a manager `PropertiesChanged` (interface, changed a{sv}, invalidated as) names
    /// `Environment`.
    static func namesEnvironment(_ message: BusMessage) -> Bool {
        guard let arguments = try? message.arguments(), arguments.count == 3 else { return false }
        if arguments[1]["Environment"] != nil { return true }
        return arguments[2].elements?.contains { $0.stringValue == "Environment" } ?? false
    }
}
