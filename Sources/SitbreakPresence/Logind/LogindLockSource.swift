import Glibc
import SitbreakDBus

/// Locked? from logind: the session's `LockedHint` (DESIGN.md §5).
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
        guard let session else { return "logind LockedHint" }
        return "logind LockedHint of \(session.path) (found by \(session.foundBy))"
    }

    private let uid: UInt32
    private var link: LogindLink?
    private var session: LogindSession?
    private var sessionMatch: BusMatch?
    private var locked = false
    private var context: PresenceContext?
    private var appearance: LogindAppearance?

    /// Watches the session of user `uid` (default: the daemon's user).
    public init(uid: UInt32 = getuid()) {
        self.uid = uid
    }

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        let link = try LogindLink(context)
        self.link = link
        self.context = context
        locked = false
        do {
            let session = try LogindSession(link: link, uid: uid)
            self.session = session
            try watch(session.path)
            session.onChange = { [unowned self] path in self.sessionChanged(to: path) }
        } catch {
            stop()
            throw error
        }
    }

    public func stop() {
        link?.close()
        link = nil
        session = nil
        sessionMatch = nil
        context = nil
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        appearance = LogindAppearance(context, displayOfUser: uid, appeared: appeared)
        return appearance != nil
    }

    public func stopWatching() {
        appearance?.cancel()
        appearance = nil
    }

    /// Matches the hint's changes on `path`, then reads it (in that order, so that a change in
    /// between is not missed).
    private func watch(_ path: String) throws(PresenceUnavailable) {
        guard let link else { return }
        if let sessionMatch { link.cancel(sessionMatch) }
        sessionMatch = try link.match(Logind.propertiesChangedRule(path: path, interface: Logind.session)) {
            [unowned self] message in
            self.propertiesChanged(message)
        }
        try read(path)
    }

    private func read(_ path: String) throws(PresenceUnavailable) {
        guard let link else { return }
        let value = try link.property(path, Logind.session, "LockedHint")
        guard let hint = value.boolValue else {
            throw PresenceUnavailable("the session \(path) has no boolean LockedHint (logind before systemd 230?)")
        }
        apply(hint)
    }

    private func propertiesChanged(_ message: BusMessage) {
        guard let session, message.path == session.path,
            let change = Logind.changedProperties(message, interface: Logind.session)
        else { return }
        if let hint = change.values["LockedHint"]?.boolValue {
            apply(hint)
        } else if change.invalidated.contains("LockedHint") {
            do {
                try read(session.path)
            } catch {
                context?.lost(error.reason)
            }
        }
    }

    private func apply(_ hint: Bool) {
        guard hint != locked else { return }
        locked = hint
        context?.report(hint ? .lock : .unlock)
    }

    private func sessionChanged(to path: String?) {
        guard let path else {
            context?.lost("the user's graphical session ended")
            return
        }
        context?.log("following the user's new graphical session \(path)")
        do {
            try watch(path)
        } catch {
            context?.lost("cannot watch the new session \(path): \(error.reason)")
        }
    }
}
