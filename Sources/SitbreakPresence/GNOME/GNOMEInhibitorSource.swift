import Glibc
import SitbreakDBus
import SitbreakSystem

/// Idle inhibitors from gnome-session (`org.gnome.SessionManager` on the session bus): a video
/// player or a call holding an idle inhibitor is still sitting (docs/engine.md §2, §5).
///
/// Push only. `InhibitedActions` (the OR of every inhibitor's flags; idle is 8) is read at start;
/// gnome-session sends `InhibitorAdded`/`InhibitorRemoved` for every change and, from its
/// gdbus-codegen skeleton, `PropertiesChanged` for `InhibitedActions` soon after. Each of these
/// signals only prompts a read of the current value: the values the property changes carry are
/// history by the time a burst of them is dispatched (a stale `12` after a fresh `4` would flap
/// inhibit/uninhibit), and reading also covers a gnome-session that sends no `PropertiesChanged`.
/// Repeats are reported once (``StateEdge``); inhibitors change rarely (a film starts or ends), so
/// the two reads per change cost nothing that matters. Where the property cannot be read,
/// `IsInhibited(8)` answers the same.
public final class GNOMEInhibitorSource: PresenceSource {
    static let busName = "org.gnome.SessionManager"
    static let path = "/org/gnome/SessionManager"
    static let interface = "org.gnome.SessionManager"
    /// `GSM_INHIBITOR_FLAG_IDLE`.
    static let idleFlag: UInt64 = 8

    public let id = "gnome"
    public let question = PresenceQuestion.inhibit
    public var description: String {
        guard let owner = service.owner else { return "gnome-session idle inhibitors" }
        return "gnome-session idle inhibitors (\(owner))"
    }

    private let service = BusService()
    private var edge = StateEdge()
    private var matches: [BusMatch] = []
    private var useIsInhibited = false
    private var context: PresenceContext?

    /// Creates the source; nothing connects before ``start(_:)``.
    public init() {}

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        let connection = try service.attach([Self.busName], context)
        let owner = service.owner ?? Self.busName
        let inhibited: Bool
        do {
            for member in ["InhibitorAdded", "InhibitorRemoved"] {
                matches.append(
                    try connection.match(
                        BusConnection.signalRule(
                            sender: owner, path: Self.path, interface: Self.interface, member: member)
                    ) { [weak self] _ in self?.reread() })
            }
            matches.append(
                try connection.match(
                    BusConnection.signalRule(
                        sender: owner, path: Self.path, interface: "org.freedesktop.DBus.Properties",
                        member: "PropertiesChanged", arg0: Self.interface)
                ) { [weak self] _ in self?.reread() })
            useIsInhibited = false
            inhibited = try read(on: connection, owner: owner)
        } catch {
            matches = []
            service.refuseCurrentOwner()
            throw PresenceUnavailable(
                "\(Self.busName) (\(owner)) tells no inhibitors: \(BusService.reason(error))")
        }
        do {
            try service.follow { [weak self] reason in self?.context?.lost(reason) }
        } catch {
            matches = []
            service.detach()
            throw error
        }
        self.context = context
        edge = StateEdge()
        if edge.start(inhibited) { context.report(.inhibit) }
    }

    public func stop() {
        for match in matches { match.cancel() }
        matches = []
        service.detach()
        context = nil
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        service.watchForAppearance([Self.busName], context, appeared: appeared)
    }

    public func stopWatching() {
        service.stopWatching()
    }

    /// Whether an idle inhibitor is held: the property, or `IsInhibited` where it cannot be read.
    private func read(on connection: BusConnection, owner: String) throws(BusError) -> Bool {
        if !useIsInhibited {
            do {
                if let flags = try connection.property(owner, Self.path, Self.interface, "InhibitedActions").uintValue {
                    return flags & Self.idleFlag != 0
                }
            } catch {}
            useIsInhibited = true
        }
        let reply = try connection.call(
            owner, Self.path, Self.interface, "IsInhibited", [.uint32(UInt32(Self.idleFlag))])
        guard let answer = try reply.arguments().first?.boolValue else {
            throw BusError(
                operation: "IsInhibited on \(Self.busName)", code: EBADMSG, message: "no answer in the reply")
        }
        return answer
    }

    private func reread() {
        guard let context, let connection = service.connection, let owner = service.owner else { return }
        do {
            apply(try read(on: connection, owner: owner))
        } catch {
            context.lost("reading the inhibitors failed: \(BusService.reason(error))")
        }
    }

    private func apply(_ inhibited: Bool) {
        guard let context, let change = edge.update(inhibited) else { return }
        context.report(change ? .inhibit : .uninhibit)
    }
}
