import SitbreakDBus

/// The login session whose lock and idle hints a logind source watches, found and followed.
///
/// A systemd user service, which is how the daemon runs, belongs to no session. logind's
/// `GetSession("auto")` returns the caller's session or else (systemd 243 and later) the user's
/// display session; older logind answers "no such session", and then the user object's
/// `Display` property names the graphical session. The path logind returns is used as it is:
/// session ids are escaped in object paths (`2` is `/org/freedesktop/login1/session/_32`), so a
/// path built from an id would watch an object that does not exist.
///
/// The user's `Display` is followed: when the graphical session changes (logging out and in
/// again) ``onChange`` gets the new path, and nil when the session watched ends and the user has
/// no other graphical session.
final class LogindSession {
    /// The session's object path.
    private(set) var path: String
    /// How it was found, for status: `GetSession("auto")` or `the user's Display`.
    let foundBy: String
    /// Called on the loop when the user's display session changes: the new path, or nil.
    var onChange: ((String?) -> Void)?
    private let userPath: String
    private var displayPath: String?

    /// Finds the session of user `uid` and, through `link`, starts following the user's
    /// `Display`. Throws why no session was found.
    init(link: LogindLink, uid: UInt32) throws(PresenceUnavailable) {
        let found = try LogindSession.find(link: link, uid: uid)
        path = found.path
        userPath = found.userPath
        foundBy = found.foundBy
        displayPath = found.display
        try follow(link)
    }

    private static func find(link: LogindLink, uid: UInt32) throws(PresenceUnavailable) -> (
        path: String, userPath: String, foundBy: String, display: String?
    ) {
        let automatic: String
        do throws(PresenceUnavailable) {
            let found = try link.call(Logind.managerPath, Logind.manager, "GetSession", [.string("auto")])
            guard let path = found.first?.stringValue else { throw PresenceUnavailable("GetSession returned nothing") }
            // The session's user proves the object exists (a stand-in logind may answer with a
            // path it does not serve) and names the user object to follow.
            let user = try link.property(path, Logind.session, "User")
            guard let userPath = user.elements?.last?.stringValue else {
                throw PresenceUnavailable("the session \(path) has no user")
            }
            let display = (try? link.property(userPath, Logind.user, "Display")).flatMap(sessionPath(inDisplay:))
            return (path, userPath, #"GetSession("auto")"#, display)
        } catch {
            automatic = #"GetSession("auto") failed ("# + error.reason + ")"
        }
        let userPath: String
        do throws(PresenceUnavailable) {
            let user = try link.call(Logind.managerPath, Logind.manager, "GetUser", [.uint32(uid)])
            guard let path = user.first?.stringValue else { throw PresenceUnavailable("GetUser returned nothing") }
            userPath = path
        } catch {
            throw PresenceUnavailable(
                "no login session: \(automatic), and logind knows no user \(uid) (\(error.reason))")
        }
        let display: String?
        do {
            display = sessionPath(inDisplay: try link.property(userPath, Logind.user, "Display"))
        } catch {
            throw PresenceUnavailable(
                "no login session: \(automatic), and the Display of \(userPath) cannot be read (\(error.reason))")
        }
        guard let display else {
            throw PresenceUnavailable("no graphical session: \(automatic), and user \(uid) has no Display session")
        }
        return (display, userPath, "the user's Display", display)
    }

    /// The session path of a user's `Display` value (`(so)`), or nil for none (`("", "/")`).
    static func sessionPath(inDisplay value: BusValue) -> String? {
        guard let path = value.elements?.last?.stringValue, path != "/", !path.isEmpty else { return nil }
        return path
    }

    private func follow(_ link: LogindLink) throws(PresenceUnavailable) {
        let userPath = self.userPath
        try link.match(Logind.propertiesChangedRule(path: userPath, interface: Logind.user)) {
            [weak self, weak link] message in
            guard let self, let link, let change = Logind.changedProperties(message, interface: Logind.user) else {
                return
            }
            if let value = change.values["Display"] {
                self.displayChanged(to: Self.sessionPath(inDisplay: value))
            } else if change.invalidated.contains("Display"),
                let value = try? link.property(userPath, Logind.user, "Display")
            {
                self.displayChanged(to: Self.sessionPath(inDisplay: value))
            }
        }
        // A session that ends takes the user's Display with it without a PropertiesChanged of
        // Display (logind clears it when it frees the session); its end is the manager's
        // SessionRemoved.
        try link.match(
            BusConnection.signalRule(
                sender: Logind.service, path: Logind.managerPath, interface: Logind.manager, member: "SessionRemoved")
        ) { [weak self, weak link] message in
            guard let self, let link, let arguments = try? message.arguments(), arguments.count >= 2,
                arguments[1].stringValue == self.path
            else { return }
            self.sessionRemoved(link)
        }
    }

    /// The watched session ended: the user's Display, if it names another session, is followed;
    /// otherwise the session is gone.
    private func sessionRemoved(_ link: LogindLink) {
        let ended = path
        let display = (try? link.property(userPath, Logind.user, "Display")).flatMap(Self.sessionPath(inDisplay:))
        displayPath = display
        if let display, display != ended {
            path = display
            onChange?(display)
        } else {
            onChange?(nil)
        }
    }

    private func displayChanged(to display: String?) {
        let previous = displayPath
        displayPath = display
        if let display {
            guard display != path else { return }
            path = display
            onChange?(display)
        } else if previous == path {
            // The session watched was the display session, and it ended. (A session that is the
            // caller's own and not the display session stays watched.)
            onChange?(nil)
        }
    }
}
