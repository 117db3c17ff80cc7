/// Where a notification belongs: one per break kind (a nag replaces its kind's notification),
/// one for `daily_limit`, one for the confirmation of a break taken.
public enum NotificationSlot: Hashable, Sendable {
    /// The reminders of one kind.
    case kind(String)
    /// The day's sitting time reached `daily_limit`.
    case dailyLimit
    /// A break was taken (only with `confirm_break`).
    case confirmation

    /// The kind, for a kind's slot.
    public var kind: String? {
        if case .kind(let name) = self { name } else { nil }
    }
}
