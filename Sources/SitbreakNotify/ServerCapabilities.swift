/// What a notification server announced in `GetCapabilities`, as far as ``Notifier`` cares.
public struct ServerCapabilities: Hashable, Sendable {
    /// `actions`: it shows buttons and reports `ActionInvoked`.
    public var actions: Bool
    /// `body-markup`: it interprets the body as markup, so text must be escaped.
    public var bodyMarkup: Bool

    /// Reads a `GetCapabilities` answer.
    public init(_ names: [String]) {
        actions = names.contains("actions")
        bodyMarkup = names.contains("body-markup")
    }

    /// Creates capabilities.
    public init(actions: Bool, bodyMarkup: Bool) {
        self.actions = actions
        self.bodyMarkup = bodyMarkup
    }

    /// What is assumed of a server not asked yet: the least (no buttons, no markup).
    public static let minimal = ServerCapabilities(actions: false, bodyMarkup: false)
}
