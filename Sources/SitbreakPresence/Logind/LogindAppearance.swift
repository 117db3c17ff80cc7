import SitbreakDBus

/// What a logind source that is not in use watches, to be retried (``PresenceSource/watchForAppearance(_:appeared:)``):
/// logind gaining its name on the system bus and, for the session sources, the user's `Display`
/// naming a session (someone logged in graphically after the source found none).
///
/// logind's half is ``BusService/watchForAppearance(_:_:announcingCurrentOwner:appeared:)``, which
/// also calls `appeared` when the bus closes the connection: the chain retries the source, whose
/// start then says why it cannot work and whose next watch uses a new connection.
final class LogindAppearance {
    private let service = BusService(on: .system)
    private var display: BusMatch?
    private var appeared: (() -> Void)?

    /// Starts watching; nil when the system bus cannot be reached (nothing can be watched).
    /// With `uid`, a `Display` of that user that names a session counts as appearing.
    init?(_ context: PresenceContext, displayOfUser uid: UInt32?, appeared: @escaping () -> Void) {
        self.appeared = appeared
        // An owner logind has now is no news: the source found it at start and failed for another
        // reason (no graphical session yet).
        guard
            service.watchForAppearance(
                [Logind.service], context, announcingCurrentOwner: false,
                appeared: { [weak self] in self?.fire() }),
            let bus = try? context.buses.system()
        else { return nil }
        // The user object exists only while logind runs and knows the user; when it does not,
        // logind's coming back is what is watched, and the source's start looks at Display then.
        if let uid,
            let user = try? bus.call(Logind.service, Logind.managerPath, Logind.manager, "GetUser", [.uint32(uid)]),
            let userPath = (try? user.arguments())?.first?.stringValue,
            let match = try? bus.match(
                Logind.propertiesChangedRule(path: userPath, interface: Logind.user),
                handler: { [weak self] message in
                    guard let change = Logind.changedProperties(message, interface: Logind.user),
                        let value = change.values["Display"], LogindSession.sessionPath(inDisplay: value) != nil
                    else { return }
                    self?.fire()
                })
        {
            display = match
        }
    }

    deinit {
        cancel()
    }

    /// Stops watching; `appeared` is not called afterwards.
    func cancel() {
        service.stopWatching()
        display?.cancel()
        display = nil
        appeared = nil
    }

    private func fire() {
        guard let appeared else { return }
        self.appeared = nil
        appeared()
    }
}
