import Glibc
import SitbreakDBus

/// Locked? from logind: the session's `LockedHint` (docs/design.md §5).
///
/// Screen lockers (GNOME Shell, KDE's, swaylock through its session, light-locker) set the hint
/// with `SetLockedHint`, and logind announces it with `PropertiesChanged` on the session object:
/// `lock` and `unlock` are reported the moment it changes. The session's `Lock` and `Unlock`
/// signals are not used: they are logind asking the screen locker to lock (`loginctl
/// lock-session`, before sleep), not state; with no locker running nothing locks, and a locker
/// that obeys sets the hint, which is what is watched. A screen locked by a locker that does not
/// set the hint is not seen here (the `screensaver` source below may see it).
public final class LogindLockSource: PresenceSource {
    public let id = "logind"
    public let question = PresenceQuestion.lock
    public var description: String {
        guard let session = watch?.session else { return "logind LockedHint" }
        return "logind LockedHint of \(session.path) (found by \(session.foundBy))"
    }

    private let uid: UInt32
    private var watch: LogindSessionWatch?
    private var locked = false
    private var context: PresenceContext?
    private let appearance: LogindAppearance

    /// Watches the session of user `uid` (default: the daemon's user).
    public init(uid: UInt32 = getuid()) {
        self.uid = uid
        appearance = LogindAppearance(displayOfUser: uid)
    }

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        self.context = context
        locked = false
        do {
            watch = try LogindSessionWatch(
                context, uid: uid,
                read: { [unowned self] (link, path) throws(PresenceUnavailable) in try self.read(link, path) },
                changed: { [unowned self] values, invalidated, _ in self.changed(values, invalidated) })
        } catch {
            self.context = nil
            throw error
        }
    }

    public func stop() {
        watch?.close()
        watch = nil
        context = nil
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        appearance.watch(context, appeared: appeared)
    }

    public func stopWatching() {
        appearance.cancel()
    }

    private func read(_ link: LogindLink, _ path: String) throws(PresenceUnavailable) {
        let value = try link.property(path, Logind.session, "LockedHint")
        guard let hint = value.boolValue else {
            throw PresenceUnavailable("the session \(path) has no boolean LockedHint (logind before systemd 230?)")
        }
        apply(hint)
    }

    private func changed(_ values: [String: BusValue], _ invalidated: Set<String>) {
        if let hint = values["LockedHint"]?.boolValue {
            apply(hint)
        } else if invalidated.contains("LockedHint") {
            watch?.reread()
        }
    }

    private func apply(_ hint: Bool) {
        guard hint != locked else { return }
        locked = hint
        context?.report(hint ? .lock : .unlock)
    }
}
