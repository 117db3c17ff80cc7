import SitbreakDBus

/// What the lock and idle sources share: a link to logind, the user's session found and
/// followed (``LogindSession``), and the session's `PropertiesChanged` matched on its real path,
/// moved to the new session when the user's `Display` changes.
///
/// The source says what to read from a session (``read``, called once the match is in place, so
/// that a change in between is not missed) and what to make of a change (``changed``, only for
/// the session watched).
final class LogindSessionWatch {
    /// Reads the source's hint from the session at a path.
    typealias Read = (LogindLink, String) throws(PresenceUnavailable) -> Void
    /// A change of the session's properties: the new values carried, and the names invalidated.
    typealias Changed = (_ values: [String: BusValue], _ invalidated: Set<String>, _ path: String) -> Void

    /// The connection to logind.
    let link: LogindLink
    /// The session watched.
    let session: LogindSession
    private let context: PresenceContext
    private let read: Read
    private let changed: Changed
    private var match: BusMatch?

    /// Finds the session of `uid`, matches its changes and reads it; throws, having closed the
    /// link, when logind or the session cannot be used.
    init(_ context: PresenceContext, uid: UInt32, read: @escaping Read, changed: @escaping Changed)
        throws(PresenceUnavailable)
    {
        link = try LogindLink(context)
        self.context = context
        self.read = read
        self.changed = changed
        do {
            session = try LogindSession(link: link, uid: uid)
            try watch(session.path)
        } catch {
            link.close()
            throw error
        }
        session.onChange = { [unowned self] path in self.sessionChanged(to: path) }
    }

    /// Closes the link; nothing is reported after.
    func close() {
        link.close()
        match = nil
    }

    /// Re-reads the session watched (a change invalidated the property instead of carrying it).
    func reread() {
        do {
            try read(link, session.path)
        } catch {
            context.lost(error.reason)
        }
    }

    private func watch(_ path: String) throws(PresenceUnavailable) {
        if let match { link.cancel(match) }
        match = try link.match(Logind.propertiesChangedRule(path: path, interface: Logind.session)) {
            [unowned self] message in
            guard message.path == self.session.path,
                let change = Logind.changedProperties(message, interface: Logind.session)
            else { return }
            self.changed(change.values, change.invalidated, self.session.path)
        }
        try read(link, path)
    }

    private func sessionChanged(to path: String?) {
        guard let path else {
            context.lost("the user's graphical session ended")
            return
        }
        context.log("following the user's new graphical session \(path)")
        do {
            try watch(path)
        } catch {
            context.lost("cannot watch the new session \(path): \(error.reason)")
        }
    }
}
