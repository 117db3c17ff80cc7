import SitbreakDBus

/// What a logind source that is not in use watches, to be retried (``PresenceSource/watchForAppearance(_:appeared:)``):
/// logind gaining its name on the system bus and, for the session sources, the user's `Display`
/// naming a session (someone logged in graphically after the source found none).
///
/// logind's half is ``BusService/watchForAppearance(_:_:announcingCurrentOwner:appeared:)``, which
/// also calls `appeared` when the bus closes the connection: the chain retries the source, whose
/// start then says why it cannot work and whose next watch uses a new connection.
final class LogindAppearance {
    private let uid: UInt32?
    private let service = BusService(on: .system)
    private var display: BusMatch?
    private var appeared: (() -> Void)?

    /// Creates the watch of a source; nothing is watched before ``watch(_:appeared:)``. With
    /// `uid`, a `Display` of that user that names a session counts as appearing.
    init(displayOfUser uid: UInt32?) {
        self.uid = uid
    }

    deinit {
        cancel()
    }

    /// Starts watching, after ending a previous watch, and returns true; false when the system bus
    /// cannot be reached (nothing can be watched then). The source's
    /// ``PresenceSource/watchForAppearance(_:appeared:)``.
    func watch(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        cancel()
        self.appeared = appeared
        // An owner logind has now is no news: the source found it at start and failed for another
        // reason (no graphical session yet).
        guard
            service.watchForAppearance(
                [Logind.service], context, announcingCurrentOwner: false,
                appeared: { [weak self] in self?.fire() }),
            let bus = try? context.buses.system()
        else {
            cancel()
            return false
        }
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
        return true
    }

    /// Stops watching; `appeared` is not called afterwards. The source's
    /// ``PresenceSource/stopWatching()``.
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
