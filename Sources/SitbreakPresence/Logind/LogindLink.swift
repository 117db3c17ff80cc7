import SitbreakDBus

/// A started logind source's hold on the system bus: logind as a ``BusService`` (found on the
/// daemon's shared connection, the source lost when logind leaves the bus or the connection
/// closes) and the source's signal matches.
///
/// ``close()`` cancels every match it made, so a source's `stop()` is one call.
final class LogindLink {
    /// The shared system bus connection.
    let bus: BusConnection
    private let service = BusService(on: .system, title: "systemd-logind")
    private var matches: [BusMatch] = []

    /// Opens (or shares) the system bus connection and checks that logind is on it; from then on
    /// `context.lost` is called once if logind leaves the bus or the bus closes the connection.
    /// Throws, having registered nothing, when either is missing.
    ///
    /// The chain's `lost` stops the source, which closes this link from inside the signal handler
    /// that got there; sd-bus keeps a running match's slot alive until its callback returns, so
    /// that is safe.
    init(_ context: PresenceContext) throws(PresenceUnavailable) {
        bus = try service.attach([Logind.service], context)
        do {
            try service.follow(lost: context.lost)
        } catch {
            service.detach()
            throw error
        }
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

    /// Cancels every match and stops following logind; `lost` is not called afterwards.
    func close() {
        for match in matches { match.cancel() }
        matches = []
        service.detach()
    }
}
