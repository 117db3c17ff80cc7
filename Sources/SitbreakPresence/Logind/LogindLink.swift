import SitbreakDBus

/// A started logind source's hold on the system bus: the daemon's shared connection, the
/// source's signal matches, and the watch that reports the source lost when logind leaves the
/// bus or the connection closes.
///
/// ``close()`` cancels every match it made, so a source's `stop()` is one call.
final class LogindLink {
    /// The shared system bus connection.
    let bus: BusConnection
    private var matches: [BusMatch] = []
    private var closeToken: Int?
    private var lost: ((String) -> Void)?

    /// Opens (or shares) the system bus connection and checks that logind is on it; from then on
    /// `context.lost` is called once if logind loses its name or the bus closes the connection.
    /// Throws, having registered nothing, when either is missing.
    init(_ context: PresenceContext) throws(PresenceUnavailable) {
        do {
            bus = try context.buses.system()
        } catch {
            throw PresenceUnavailable("no system bus (\(error))")
        }
        let present: Bool
        do {
            present = try bus.nameHasOwner(Logind.service)
        } catch {
            throw PresenceUnavailable("cannot ask the system bus whether logind runs: \(error)")
        }
        guard present else {
            throw PresenceUnavailable("systemd-logind (\(Logind.service)) is not on the system bus")
        }
        lost = context.lost
        do {
            matches.append(
                try bus.watchName(Logind.service) { [weak self] hasOwner in
                    if !hasOwner { self?.lose("systemd-logind left the system bus") }
                })
        } catch {
            lost = nil
            throw PresenceUnavailable("cannot watch logind's name on the system bus: \(error)")
        }
        closeToken = bus.onClose { [weak self] in self?.lose("the system bus closed the connection") }
    }

    deinit {
        close()
    }

    /// Runs `handler` for every message matching `rule` until ``cancel(_:)`` or ``close()``.
    @discardableResult
    func match(_ rule: String, handler: @escaping (BusMessage) -> Void) throws(PresenceUnavailable) -> BusMatch {
        do {
            let match = try bus.match(rule, handler: handler)
            matches.append(match)
            return match
        } catch {
            throw PresenceUnavailable("cannot watch logind's signals: \(error)")
        }
    }

    /// Ends one match made with ``match(_:handler:)``.
    func cancel(_ match: BusMatch) {
        match.cancel()
        matches.removeAll { $0 === match }
    }

    /// Calls a method of logind; an error becomes a reason for status.
    func call(_ path: String, _ interface: String, _ member: String, _ arguments: [BusArgument] = [])
        throws(PresenceUnavailable) -> [BusValue]
    {
        do {
            return try bus.call(Logind.service, path, interface, member, arguments).arguments()
        } catch {
            throw PresenceUnavailable("\(error)")
        }
    }

    /// Reads one property of a logind object.
    func property(_ path: String, _ interface: String, _ name: String) throws(PresenceUnavailable) -> BusValue {
        do {
            return try bus.property(Logind.service, path, interface, name)
        } catch {
            throw PresenceUnavailable("\(error)")
        }
    }

    /// Cancels every match and forgets the close watch; `lost` is not called afterwards.
    func close() {
        for match in matches { match.cancel() }
        matches = []
        if let closeToken { bus.removeCloseHandler(closeToken) }
        closeToken = nil
        lost = nil
    }

    /// Says the source is lost, once. The chain's `lost` stops the source, which closes this link
    /// from inside the signal handler that got here; sd-bus keeps a running match's slot alive
    /// until its callback returns, so that is safe.
    private func lose(_ reason: String) {
        guard let lost else { return }
        self.lost = nil
        lost(reason)
    }
}
