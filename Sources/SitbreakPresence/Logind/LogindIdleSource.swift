import Glibc
import SitbreakDBus
import SitbreakSystem

/// Idle? from logind: the session's `IdleHint`, a fallback below the desktop's own sources
/// (docs/design.md §5).
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
        guard let session = watch?.session else { return "logind IdleHint" }
        return "logind IdleHint of \(session.path) (found by \(session.foundBy)), set after the desktop's idle delay"
    }

    private let uid: UInt32
    private var watch: LogindSessionWatch?
    private var tracker = LogindIdleTracker(thresholdNanoseconds: 1)
    private var context: PresenceContext?
    private let appearance: LogindAppearance

    /// Watches the session of user `uid` (default: the daemon's user).
    public init(uid: UInt32 = getuid()) {
        self.uid = uid
        appearance = LogindAppearance(displayOfUser: uid)
    }

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        self.context = context
        tracker = LogindIdleTracker(thresholdNanoseconds: context.idleThresholdNanoseconds)
        do {
            watch = try LogindSessionWatch(
                context, uid: uid,
                read: { [unowned self] (link, path) throws(PresenceUnavailable) in
                    try self.read(link, path, hint: nil)
                },
                changed: { [unowned self] values, invalidated, path in self.changed(values, invalidated, path) })
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

    public func machineResumed() {
        tracker.machineResumed(monotonicNanoseconds: SystemClock.monotonicNanoseconds())
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        appearance.watch(context, appeared: appeared)
    }

    public func stopWatching() {
        appearance.cancel()
    }

    /// Reads what the signal did not carry: the hint (unless given) and its instant.
    private func read(_ link: LogindLink, _ path: String, hint given: Bool?) throws(PresenceUnavailable) {
        var hint = given
        if hint == nil {
            hint = try link.property(path, Logind.session, "IdleHint").boolValue
        }
        guard let hint else { throw PresenceUnavailable("the session \(path) has no boolean IdleHint") }
        var since: UInt64 = 0
        if hint { since = try link.property(path, Logind.session, "IdleSinceHintMonotonic").uintValue ?? 0 }
        apply(hint, since: since)
    }

    private func changed(_ values: [String: BusValue], _ invalidated: Set<String>, _ path: String) {
        let hint = values["IdleHint"]?.boolValue
        let since = values["IdleSinceHintMonotonic"]?.uintValue
        if let hint, since != nil || !hint {
            // logind sends the hint and its instants together.
            apply(hint, since: since ?? 0)
        } else if hint != nil || invalidated.contains("IdleHint") || invalidated.contains("IdleSinceHintMonotonic") {
            guard let link = watch?.link else { return }
            do {
                try read(link, path, hint: hint)
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
}
