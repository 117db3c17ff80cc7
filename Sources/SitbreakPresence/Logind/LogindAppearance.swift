import SitbreakDBus

/// What a logind source that is not in use watches, to be retried (``PresenceSource/watchForAppearance(_:appeared:)``):
/// logind gaining its name on the system bus and, for the session sources, the user's `Display`
/// naming a session (someone logged in graphically after the source found none).
///
/// When the bus closes the connection, `appeared` is called too: the chain retries the source,
/// whose start then says why it cannot work and whose next watch uses a new connection.
final class LogindAppearance {
    private var matches: [BusMatch] = []
    private var bus: BusConnection?
    private var closeToken: Int?
    private var appeared: (() -> Void)?

    /// Starts watching; nil when the system bus cannot be reached (nothing can be watched).
    /// With `uid`, a `Display` of that user that names a session counts as appearing.
    init?(_ context: PresenceContext, displayOfUser uid: UInt32?, appeared: @escaping () -> Void) {
        guard let bus = try? context.buses.system() else { return nil }
        self.bus = bus
        self.appeared = appeared
        guard
            let owner = try? bus.watchName(
                Logind.service,
                handler: { [weak self] hasOwner in
                    if hasOwner { self?.fire() }
                })
        else { return nil }
        matches.append(owner)
        closeToken = bus.onClose { [weak self] in self?.fire() }
        // The user object exists only while logind runs and knows the user; when it does not,
        // logind's coming back is what is watched, and the source's start looks at Display then.
        if let uid,
            let user = try? bus.call(Logind.service, Logind.managerPath, Logind.manager, "GetUser", [.uint32(uid)]),
            let userPath = (try? user.arguments())?.first?.stringValue,
            let display = try? bus.match(
                Logind.propertiesChangedRule(path: userPath, interface: Logind.user),
                handler: { [weak self] message in
                    guard let change = Logind.changedProperties(message, interface: Logind.user),
                        let value = change.values["Display"], LogindSession.sessionPath(inDisplay: value) != nil
                    else { return }
                    self?.fire()
                })
        {
            matches.append(display)
        }
    }

    deinit {
        cancel()
    }

    /// Stops watching; `appeared` is not called afterwards.
    func cancel() {
        for match in matches { match.cancel() }
        matches = []
        if let closeToken { bus?.removeCloseHandler(closeToken) }
        closeToken = nil
        bus = nil
        appeared = nil
    }

    private func fire() {
        guard let appeared else { return }
        self.appeared = nil
        appeared()
    }
}
