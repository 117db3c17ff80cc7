/// One `org.freedesktop.Notifications.Notify` call, decided by ``Notifier`` and made by
/// ``NotificationServer``: every argument and hint, nothing left to the adapter.
public struct NotificationRequest: Hashable, Sendable {
    /// Which notification this is (the adapter reports the id the server gives it for this slot).
    public var slot: NotificationSlot
    /// The id of the notification it replaces (`replaces_id`), or 0 for a new one.
    public var replacesID: UInt32
    /// The summary (plain text: servers do not interpret markup there).
    public var summary: String
    /// The body, already escaped when the server announced `body-markup`.
    public var body: String
    /// The buttons: action keys and their labels, in order.
    public var actions: [Action]
    /// The `urgency` hint: 0 low, 1 normal, 2 critical.
    public var urgency: UInt8
    /// The `category` hint.
    public var category: String
    /// `expire_timeout` in milliseconds: -1 the server's default, 0 never.
    public var expireMilliseconds: Int32
    /// The `sound-name` hint, if any.
    public var soundName: String?
    /// The `transient` hint: true for a confirmation that should not stay in a history.
    public var transient: Bool

    /// A button: the key sent back in `ActionInvoked`, and its label.
    public struct Action: Hashable, Sendable {
        /// The action key (`snooze`, `skip`, `done`).
        public var key: String
        /// The button's label (`Snooze 10 min`).
        public var label: String

        /// Creates a button.
        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }

    /// The application name given to the server, and the `desktop-entry` hint (`sitbreak.desktop`).
    public static let applicationName = "sitbreak"
    /// The icon name in the hicolor theme.
    public static let iconName = "sitbreak"

    /// Creates a request.
    public init(
        slot: NotificationSlot, replacesID: UInt32 = 0, summary: String, body: String, actions: [Action] = [],
        urgency: UInt8 = 1, category: String, expireMilliseconds: Int32 = 0, soundName: String? = nil,
        transient: Bool = false
    ) {
        self.slot = slot
        self.replacesID = replacesID
        self.summary = summary
        self.body = body
        self.actions = actions
        self.urgency = urgency
        self.category = category
        self.expireMilliseconds = expireMilliseconds
        self.soundName = soundName
        self.transient = transient
    }
}
