import SitbreakDBus
import SitbreakSystem

/// The screen lock from the session's screen saver: gnome-shell's `org.gnome.ScreenSaver`, else
/// `org.freedesktop.ScreenSaver` (KDE's screen locker, and others), on the session bus
/// (docs/design.md §5).
///
/// Push only: `GetActive` at start, then `ActiveChanged(b)` becomes `lock`/`unlock` at once.
/// GNOME's `org.freedesktop.ScreenSaver` is gnome-settings-daemon's proxy for inhibitors, whose
/// `GetActive` answers NotSupported; it is then not used (and not retried while the same process
/// owns the name), and `org.gnome.ScreenSaver` appearing is what brings the source back.
public final class ScreenSaverLockSource: PresenceSource {
    /// A screen-saver service: its name, the object paths to try in order, its interface.
    struct Service {
        var name: String
        var paths: [String]
        var interface: String
    }

    /// The services in order of preference. KDE registers its object at both paths (and Qt relays
    /// each signal on both); the first that answers `GetActive` is the one matched.
    static let services = [
        Service(name: "org.gnome.ScreenSaver", paths: ["/org/gnome/ScreenSaver"], interface: "org.gnome.ScreenSaver"),
        Service(
            name: "org.freedesktop.ScreenSaver", paths: ["/org/freedesktop/ScreenSaver", "/ScreenSaver"],
            interface: "org.freedesktop.ScreenSaver"),
    ]

    public let id = "screensaver"
    public let question = PresenceQuestion.lock
    public var description: String {
        guard let name = service.name, let owner = service.owner, let path else { return "screen saver ActiveChanged" }
        return "\(name) ActiveChanged on \(path) (\(owner))"
    }

    private let service = BusService()
    private var edge = StateEdge()
    private var path: String?
    private var match: BusMatch?
    private var context: PresenceContext?

    /// Creates the source; nothing connects before ``start(_:)``.
    public init() {}

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        let connection = try service.attach(Self.services.map(\.name), context)
        guard let name = service.name, let owner = service.owner,
            let chosen = Self.services.first(where: { $0.name == name })
        else { throw PresenceUnavailable("no screen saver") }
        var active: Bool?
        var failure: BusError?
        for candidate in chosen.paths {
            do {
                // The match first, so that a change while asking is not missed.
                let match = try connection.match(
                    BusConnection.signalRule(
                        sender: owner, path: candidate, interface: chosen.interface, member: "ActiveChanged")
                ) { [weak self] message in
                    guard let on = try? message.arguments().first?.boolValue else { return }
                    self?.changed(on)
                }
                let reply = try connection.call(owner, candidate, chosen.interface, "GetActive")
                guard let answer = try reply.arguments().first?.boolValue else { continue }
                self.match = match
                path = candidate
                active = answer
                break
            } catch {
                failure = error
            }
        }
        guard let active else {
            service.refuseCurrentOwner()
            throw PresenceUnavailable(
                "\(name) (\(owner)) does not answer GetActive"
                    + (failure.map { ": " + BusService.reason($0) } ?? ""))
        }
        do {
            try service.follow { [weak self] reason in self?.context?.lost(reason) }
        } catch {
            match = nil
            path = nil
            service.detach()
            throw error
        }
        self.context = context
        edge = StateEdge()
        if edge.start(active) { context.report(.lock) }
    }

    public func stop() {
        match?.cancel()
        match = nil
        path = nil
        service.detach()
        context = nil
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        service.watchForAppearance(Self.services.map(\.name), context, appeared: appeared)
    }

    public func stopWatching() {
        service.stopWatching()
    }

    private func changed(_ on: Bool) {
        guard let context, let report = edge.update(on) else { return }
        context.report(report ? .lock : .unlock)
    }
}
