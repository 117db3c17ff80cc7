import SitbreakDBus
import SitbreakSystem

/// A service on a bus that a source talks to (systemd-logind on the system bus; Mutter's idle
/// monitor, the screen saver, gnome-session, KDE's screen locker on the session bus): the owner
/// found at start, the source's loss when that owner leaves or the bus closes the connection, and,
/// while the source is not in use, the name gaining an owner.
///
/// Calls go to the owner's unique name (`:1.42`), not the well-known one, and signals are matched
/// on it: watch ids and state belong to one process, and a successor that takes the name over
/// knows nothing of them (the source is then lost and started afresh).
final class BusService {
    /// The bus the service is on.
    let kind: BusConnection.Kind
    /// What a person calls the service (`systemd-logind`), nil to say its bus name only.
    private let title: String?
    /// The well-known name in use: the first of the candidates that had an owner.
    private(set) var name: String?
    /// The unique name of its owner.
    private(set) var owner: String?
    /// The bus connection, while attached.
    private(set) var connection: BusConnection?
    private var ownerMatch: BusMatch?
    private var closeToken: Int?
    private var appearanceMatches: [BusMatch] = []
    private var appearanceTimer: LoopTimer?
    private var appearanceConnection: BusConnection?
    private var appearanceCloseToken: Int?
    /// Owners a source found unusable (a GNOME screen-saver proxy without `GetSessionIdleTime`):
    /// while they own the name, its owner is not news.
    private var refusedOwners: [String: String] = [:]

    /// Creates a service link on the `kind` bus; nothing connects before ``attach(_:_:)``. With
    /// `title`, messages name the service by it (`systemd-logind left the system bus`).
    init(on kind: BusConnection.Kind = .session, title: String? = nil) {
        self.kind = kind
        self.title = title
    }

    /// Connects to the bus and takes the first of `names` that has an owner. Throws when there is
    /// no such bus or none of the names has an owner.
    func attach(_ names: [String], _ context: PresenceContext) throws(PresenceUnavailable) -> BusConnection {
        let connection: BusConnection
        do {
            connection = try bus(context)
        } catch {
            throw PresenceUnavailable("no \(kind) bus (\(error))")
        }
        for candidate in names {
            let found: String?
            do {
                found = try Self.owner(of: candidate, on: connection)
            } catch {
                throw PresenceUnavailable("asking the \(kind) bus for \(candidate) failed: \(error)")
            }
            if let found {
                name = candidate
                owner = found
                self.connection = connection
                return connection
            }
        }
        throw PresenceUnavailable(
            names.count == 1
                ? "\(title.map { "\($0) (\(names[0]))" } ?? names[0]) is not on the \(kind) bus"
                : "none of \(names.joined(separator: ", ")) is on the \(kind) bus")
    }

    private func bus(_ context: PresenceContext) throws(BusError) -> BusConnection {
        switch kind {
        case .system: try context.buses.system()
        case .session: try context.buses.session()
        }
    }

    /// Calls `lost` once when the owner leaves the bus or hands the name to another process, or
    /// when the bus closes the connection. Call after ``attach(_:_:)``.
    func follow(lost: @escaping (String) -> Void) throws(PresenceUnavailable) {
        guard let connection, let name, let owner else { return }
        do {
            ownerMatch = try connection.match(Self.ownerChangedRule(name)) { [weak self] message in
                guard let self, self.ownerMatch != nil else { return }
                let newOwner = Self.newOwner(in: message)
                guard newOwner != owner else { return }
                self.unfollow()
                let service = self.title ?? name
                lost(newOwner.isEmpty ? "\(service) left the \(self.kind) bus" : "\(service) passed to another process")
            }
        } catch {
            throw PresenceUnavailable("watching the owner of \(name) failed: \(error)")
        }
        closeToken = connection.onClose { [weak self] in
            guard let self, self.closeToken != nil else { return }
            self.closeToken = nil
            self.unfollow()
            lost("the \(self.kind) bus closed the connection")
        }
    }

    /// Remembers that the current owner cannot be used, so that watching for appearance does not
    /// announce it again at once (which would retry it in a loop), and detaches.
    func refuseCurrentOwner() {
        if let name, let owner { refusedOwners[name] = owner }
        detach()
    }

    /// Forgets the owner and stops following it.
    func detach() {
        unfollow()
        name = nil
        owner = nil
        connection = nil
    }

    private func unfollow() {
        ownerMatch?.cancel()
        ownerMatch = nil
        if let closeToken { connection?.removeCloseHandler(closeToken) }
        closeToken = nil
    }

    // MARK: - Appearance

    /// Calls `appeared` once when one of `names` gains an owner that was not refused, or when the
    /// bus closes the connection (the chain then retries the source, whose start says why it cannot
    /// work and whose next watch uses a new connection). With `announcingCurrentOwner`, a name that
    /// already has such an owner (it came between the failed start and this watch) is announced on
    /// the loop's next turn; without, only a new owner is (logind runs, but the source needs a
    /// session first). Returns false without the bus.
    func watchForAppearance(
        _ names: [String], _ context: PresenceContext, announcingCurrentOwner: Bool = true,
        appeared: @escaping () -> Void
    ) -> Bool {
        stopWatching()
        guard let connection = try? bus(context) else { return false }
        var matches: [BusMatch] = []
        for candidate in names {
            let match = try? connection.match(Self.ownerChangedRule(candidate)) { [weak self] message in
                guard let self, !self.appearanceMatches.isEmpty else { return }
                let newOwner = Self.newOwner(in: message)
                guard !newOwner.isEmpty, newOwner != self.refusedOwners[candidate] else { return }
                self.stopWatching()
                appeared()
            }
            guard let match else {
                for match in matches { match.cancel() }
                return false
            }
            matches.append(match)
        }
        appearanceMatches = matches
        appearanceConnection = connection
        appearanceCloseToken = connection.onClose { [weak self] in
            guard let self, self.appearanceCloseToken != nil else { return }
            self.stopWatching()
            appeared()
        }
        guard announcingCurrentOwner else { return true }
        let present = names.contains { candidate in
            guard let current = try? Self.owner(of: candidate, on: connection) else { return false }
            return current != refusedOwners[candidate]
        }
        if present {
            appearanceTimer = try? LoopTimer(loop: context.loop) { [weak self] in
                guard let self, !self.appearanceMatches.isEmpty else { return }
                self.stopWatching()
                appeared()
            }
            appearanceTimer?.arm(after: 1)
        }
        return true
    }

    /// Stops what ``watchForAppearance(_:_:announcingCurrentOwner:appeared:)`` registered.
    func stopWatching() {
        for match in appearanceMatches { match.cancel() }
        appearanceMatches = []
        appearanceTimer = nil
        if let appearanceCloseToken { appearanceConnection?.removeCloseHandler(appearanceCloseToken) }
        appearanceCloseToken = nil
        appearanceConnection = nil
    }

    // MARK: - Bus helpers

    /// The unique name owning `name`, or nil when nobody does.
    static func owner(of name: String, on connection: BusConnection) throws(BusError) -> String? {
        do {
            let reply = try connection.call(
                "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetNameOwner",
                [.string(name)])
            return try reply.arguments().first?.stringValue
        } catch  where error.name == "org.freedesktop.DBus.Error.NameHasNoOwner" {
            return nil
        }
    }

    private static func ownerChangedRule(_ name: String) -> String {
        BusConnection.signalRule(
            sender: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus",
            member: "NameOwnerChanged", arg0: name)
    }

    /// NameOwnerChanged's third argument: the new owner, empty when the name was released.
    private static func newOwner(in message: BusMessage) -> String {
        guard let arguments = try? message.arguments(), arguments.count == 3 else { return "" }
        return arguments[2].stringValue ?? ""
    }

    /// A short text for an error reply: its message, else the whole error.
    static func reason(_ error: BusError) -> String {
        error.message.map { message in "\(message)" + (error.name.map { " (\($0))" } ?? "") } ?? "\(error)"
    }
}
