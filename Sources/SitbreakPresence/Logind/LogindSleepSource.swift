import SitbreakDBus
import SitbreakSystem

/// Suspended? from logind's `PrepareForSleep` (docs/design.md §5), holding a sleep `delay`
/// inhibitor so that the daemon's state is saved before the machine sleeps.
///
/// logind waits (up to `InhibitDelayMaxSec`, 5 s by default) until every delay inhibitor is
/// released after it announces `PrepareForSleep(true)`. On that signal the source reports
/// `suspend` (the daemon saves its state before the report returns) and closes the inhibitor's
/// descriptor at once, so sleep is not held up; on `PrepareForSleep(false)` it reports `resume`
/// and takes a new inhibitor for the next sleep. Without the inhibitor (polkit refused it) the
/// signal is still followed, but the state may be saved after the machine has gone to sleep,
/// which the clock-gap check then covers.
public final class LogindSleepSource: PresenceSource {
    public let id = "logind"
    public let question = PresenceQuestion.suspend
    public var description: String {
        if let inhibitorProblem { return "logind PrepareForSleep, without a delay inhibitor (\(inhibitorProblem))" }
        return "logind PrepareForSleep, with a delay inhibitor"
    }

    /// The inhibitor's descriptor, or -1 while none is held.
    public var inhibitorFD: Int32 { inhibitor?.rawValue ?? -1 }
    /// The delay inhibitor logind handed over; closing it releases the inhibitor.
    private var inhibitor: FileDescriptor?
    private var inhibitorProblem: String?
    private var link: LogindLink?
    private var sleeping = false
    private var context: PresenceContext?
    private let appearance = LogindAppearance(displayOfUser: nil)

    /// Creates the source.
    public init() {}

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        let link = try LogindLink(context)
        self.link = link
        self.context = context
        sleeping = false
        do {
            try link.match(
                BusConnection.signalRule(
                    sender: Logind.service, path: Logind.managerPath, interface: Logind.manager,
                    member: "PrepareForSleep")
            ) { [unowned self] message in
                guard let start = (try? message.arguments())?.first?.boolValue else { return }
                self.prepareForSleep(start)
            }
        } catch {
            stop()
            throw error
        }
        takeInhibitor()
    }

    public func stop() {
        releaseInhibitor()
        link?.close()
        link = nil
        context = nil
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        appearance.watch(context, appeared: appeared)
    }

    public func stopWatching() {
        appearance.cancel()
    }

    private func prepareForSleep(_ start: Bool) {
        guard start != sleeping else { return }
        sleeping = start
        if start {
            context?.report(.suspend)
            releaseInhibitor()
        } else {
            context?.report(.resume)
            takeInhibitor()
        }
    }

    private func takeInhibitor() {
        guard inhibitor == nil, let link else { return }
        do throws(PresenceUnavailable) {
            let reply = try link.call(
                Logind.managerPath, Logind.manager, "Inhibit",
                [
                    .string("sleep"), .string("sitbreak"), .string("save the sitting state before sleep"),
                    .string("delay"),
                ])
            guard case .fd(let fd)? = reply.first, fd >= 0 else {
                throw PresenceUnavailable("Inhibit returned no descriptor")
            }
            inhibitor = FileDescriptor(fd)
            inhibitorProblem = nil
        } catch {
            if inhibitorProblem == nil { context?.log("no sleep delay inhibitor: \(error.reason)") }
            inhibitorProblem = error.reason
        }
    }

    private func releaseInhibitor() {
        inhibitor = nil
    }
}
