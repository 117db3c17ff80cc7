import SitbreakDBus

/// systemd-logind on the system bus (docs/design.md §5): the names the four logind sources use.
///
/// Each question has its own source (``LogindSleepSource``, ``LogindLockSource``,
/// ``LogindIdleSource``, ``LogindInhibitSource``), all named `logind`, sharing the daemon's one
/// system bus connection.
enum Logind {
    /// logind's well-known name.
    static let service = "org.freedesktop.login1"
    /// The manager object.
    static let managerPath = "/org/freedesktop/login1"
    /// The manager's interface (sessions, users, inhibitors, `PrepareForSleep`).
    static let manager = "org.freedesktop.login1.Manager"
    /// A session object's interface (`LockedHint`, `IdleHint`).
    static let session = "org.freedesktop.login1.Session"
    /// A user object's interface (`Display`).
    static let user = "org.freedesktop.login1.User"

    /// The rule for logind's `PropertiesChanged` about `interface` on `path`. The sender is part of
    /// the rule: any client of the system bus may emit a signal with logind's path, and a fake
    /// `LockedHint` must not count.
    static func propertiesChangedRule(path: String, interface: String) -> String {
        BusConnection.signalRule(
            sender: service, path: path, interface: "org.freedesktop.DBus.Properties", member: "PropertiesChanged",
            arg0: interface)
    }

    /// The names of the properties a `PropertiesChanged` message reports about `interface`
    /// (changed or invalidated), with the new values where it carries them; nil for another
    /// interface or a malformed message.
    static func changedProperties(_ message: BusMessage, interface: String) -> (
        values: [String: BusValue], invalidated: Set<String>
    )? {
        guard let arguments = try? message.arguments(), arguments.count >= 2, arguments[0].stringValue == interface,
            case .dictionary(let entries) = arguments[1].unwrapped
        else { return nil }
        var values: [String: BusValue] = [:]
        for entry in entries {
            if let name = entry.key.stringValue { values[name] = entry.value.unwrapped }
        }
        let invalidated = Set((arguments.count > 2 ? arguments[2].elements ?? [] : []).compactMap(\.stringValue))
        return (values, invalidated)
    }
}
