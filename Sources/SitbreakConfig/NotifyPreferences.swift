import SitbreakEngine

/// The `[notify]` table: how `sitbreak-notify` shows reminders.
///
/// ```toml
/// [notify]
/// urgency = "normal"        # low, normal, critical
/// expire = "never"          # "never", "default" (the server decides) or a duration such as "30s"
/// sound = "bell"            # a freedesktop sound name for the sound-name hint; none by default
/// dismiss = "none"          # what closing a reminder means: none, snooze, skip, done
/// confirm_break = false     # a short low-urgency notification when a break is taken
/// ```
public struct NotifyPreferences: Hashable, Sendable {
    /// The `urgency` hint (Desktop Notifications: 0 low, 1 normal, 2 critical).
    public enum Urgency: String, Hashable, Sendable, CaseIterable {
        /// 0.
        case low
        /// 1.
        case normal
        /// 2.
        case critical

        /// The hint's byte value.
        public var level: UInt8 {
            switch self {
            case .low: 0
            case .normal: 1
            case .critical: 2
            }
        }
    }

    /// How long a notification stays.
    public enum Expiry: Hashable, Sendable {
        /// Until it is closed (by the person, or by `sitbreak-notify` when it is no longer true).
        case never
        /// As long as the server shows notifications by default.
        case serverDefault
        /// This many seconds.
        case after(Seconds)

        /// The `expire_timeout` argument of `Notify`, in milliseconds.
        public var milliseconds: Int32 {
            switch self {
            case .never: 0
            case .serverDefault: -1
            case .after(let seconds): Int32(clamping: seconds * 1000)
            }
        }
    }

    /// What a reminder closed by the person (not by a button) means.
    public enum Dismissal: String, Hashable, Sendable, CaseIterable {
        /// Nothing: the reminder comes back at its next nag.
        case none
        /// Snooze the kind for its `snooze`.
        case snooze
        /// Skip the kind.
        case skip
        /// The break is done.
        case done
    }

    /// The `urgency` hint of reminders.
    public var urgency: Urgency
    /// How long reminders stay.
    public var expire: Expiry
    /// A sound name (freedesktop sound theme) for the `sound-name` hint, or nil for none.
    public var sound: String?
    /// What a dismissal means.
    public var dismiss: Dismissal
    /// Whether a taken break is confirmed by a short low-urgency notification.
    public var confirmBreak: Bool

    /// Creates preferences; the defaults are what an absent `[notify]` table means.
    public init(
        urgency: Urgency = .normal, expire: Expiry = .never, sound: String? = nil, dismiss: Dismissal = .none,
        confirmBreak: Bool = false
    ) {
        self.urgency = urgency
        self.expire = expire
        self.sound = sound
        self.dismiss = dismiss
        self.confirmBreak = confirmBreak
    }
}
