import SitbreakDBus

/// Inhibited? from logind's idle inhibitors (docs/design.md §5): an application playing a video or
/// holding a call takes one (`systemd-inhibit --what=idle`, or through the desktop), and while
/// one is held idleness is not absence.
///
/// logind announces every inhibitor taken or released as a `PropertiesChanged` of the manager's
/// `BlockInhibited` (or `DelayInhibited`) and `NCurrentInhibitors` (`logind-inhibit.c`). The
/// inhibitors are listed at start and again on each change of `BlockInhibited` or
/// `BlockWeakInhibited` (the modes an idle lock can have; delay locks are only for sleep and
/// shutdown, so the sleep source's own inhibitor does not wake this one). A list rather than the
/// property's value, because logind announces a `block-weak` inhibitor as a change of
/// `BlockInhibited` whose value does not include it.
///
/// Inhibitors of every user count, as logind's own idle action does.
public final class LogindInhibitSource: PresenceSource {
    public let id = "logind"
    public let question = PresenceQuestion.inhibit
    public let description = "logind idle inhibitors (ListInhibitors, on changes of BlockInhibited)"

    private var link: LogindLink?
    private var inhibited = false
    private var context: PresenceContext?
    private let appearance = LogindAppearance(displayOfUser: nil)

    /// Creates the source.
    public init() {}

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        let link = try LogindLink(context)
        self.link = link
        self.context = context
        inhibited = false
        do {
            try link.match(Logind.propertiesChangedRule(path: Logind.managerPath, interface: Logind.manager)) {
                [unowned self] message in
                self.propertiesChanged(message)
            }
            try refresh()
        } catch {
            stop()
            throw error
        }
    }

    public func stop() {
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

    private func propertiesChanged(_ message: BusMessage) {
        guard let change = Logind.changedProperties(message, interface: Logind.manager) else { return }
        let names = Set(change.values.keys).union(change.invalidated)
        guard names.contains("BlockInhibited") || names.contains("BlockWeakInhibited") else { return }
        do {
            try refresh()
        } catch {
            context?.lost(error.reason)
        }
    }

    private func refresh() throws(PresenceUnavailable) {
        guard let link else { return }
        let inhibitors = LogindInhibitors(
            listReply: try link.call(Logind.managerPath, Logind.manager, "ListInhibitors"))
        let idle = inhibitors.idle
        guard idle.isEmpty == inhibited else { return }
        inhibited = !idle.isEmpty
        if let first = idle.first {
            context?.log("idle inhibited by \(first.who): \(first.why)")
            context?.report(.inhibit)
        } else {
            context?.report(.uninhibit)
        }
    }
}
