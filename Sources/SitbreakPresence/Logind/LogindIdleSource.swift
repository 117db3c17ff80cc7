import Glibc
import SitbreakDBus
import SitbreakSystem

/// Idle? from logind: the session's `IdleHint`, a fallback below the desktop's own sources
/// (DESIGN.md §5).
///
/// logind does not see input of a graphical session: the desktop sets the hint
/// (`SetIdleHint`) once its own idle delay has passed (GNOME's "screen blank" delay, for
/// instance), and `IdleSinceHintMonotonic` is when it did so. So the absence is recognised, and
/// back-dated, from that instant rather than from the last input: the desktop's delay counts as
/// sitting. A desktop that never sets the hint leaves the person present. Hence the sources that
/// see input themselves (Mutter, swayidle, X11, KDE) come first.
///
/// The hint's changes arrive as `PropertiesChanged` on the session object; `active` is reported
/// when it clears, `idle` (back-dated to the hint's instant) when it is set. After a resume a
/// hint that stayed clear through the sleep gives nothing until it changes: the person counts as
/// away until then (or until the unlock that usually follows a wake).
public final class LogindIdleSource: PresenceSource {
    public let id = "logind"
    public let question = PresenceQuestion.idle
    public var description: String {
        guard let session else { return "logind IdleHint" }
        return "logind IdleHint of \(session.path) (found by \(session.foundBy)), set after the desktop's idle delay"
    }

    private let uid: UInt32
    private var link: LogindLink?
    private var session: LogindSession?
    private var sessionMatch: BusMatch?
    private var tracker = LogindIdleTracker(thresholdNanoseconds: 1)
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
        tracker = LogindIdleTracker(thresholdNanoseconds: context.idleThresholdNanoseconds)
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

    public func machineResumed() {
        tracker.machineResumed(monotonicNanoseconds: SystemClock.monotonicNanoseconds())
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        appearance = LogindAppearance(context, displayOfUser: uid, appeared: appeared)
        return appearance != nil
    }

    public func stopWatching() {
        appearance?.cancel()
        appearance = nil
    }

    /// Matches the hint's changes on `path`, then reads it.
    private func watch(_ path: String) throws(PresenceUnavailable) {
        guard let link else { return }
        if let sessionMatch { link.cancel(sessionMatch) }
        sessionMatch = try link.match(Logind.propertiesChangedRule(path: path, interface: Logind.session)) {
            [unowned self] message in
            self.propertiesChanged(message)
        }
        try read(path, hint: nil)
    }

    /// Reads what the signal did not carry: the hint (unless given) and its instant.
    private func read(_ path: String, hint given: Bool?) throws(PresenceUnavailable) {
        guard let link else { return }
        var hint = given
        if hint == nil {
            hint = try link.property(path, Logind.session, "IdleHint").boolValue
        }
        guard let hint else { throw PresenceUnavailable("the session \(path) has no boolean IdleHint") }
        var since: UInt64 = 0
        if hint { since = try link.property(path, Logind.session, "IdleSinceHintMonotonic").uintValue ?? 0 }
        apply(hint, since: since)
    }

    private func propertiesChanged(_ message: BusMessage) {
        guard let session, message.path == session.path,
            let change = Logind.changedProperties(message, interface: Logind.session)
        else { return }
        let hint = change.values["IdleHint"]?.boolValue
        let since = change.values["IdleSinceHintMonotonic"]?.uintValue
        if let hint, since != nil || !hint {
            // logind sends the hint and its instants together.
            apply(hint, since: since ?? 0)
        } else if hint != nil || change.invalidated.contains("IdleHint")
            || change.invalidated.contains("IdleSinceHintMonotonic")
        {
            do {
                try read(session.path, hint: hint)
            } catch {
                context?.lost(error.reason)
            }
        }
    }

    private func apply(_ hint: Bool, since: UInt64) {
        let clocks = LogindIdleTracker.Clocks(
            boottime: SystemClock.boottimeNanoseconds(), monotonic: SystemClock.monotonicNanoseconds())
        if let report = tracker.update(idleHint: hint, sinceMonotonicMicroseconds: since, clocks: clocks) {
            context?.report(report)
        }
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
