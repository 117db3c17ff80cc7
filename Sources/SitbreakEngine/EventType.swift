/// The types of ``Event``, one per case of ``Event/Body``: what the rest of the system describes
/// per type (the journal's `MESSAGE_ID` and priority, the CLI's wording) is an exhaustive switch
/// over this enum, and tests enumerate ``allCases`` to check every type is fully described.
public enum EventType: String, Hashable, Sendable, CaseIterable {
    /// Time to take a break.
    case reminder
    /// A break was taken or marked done.
    case breakTaken = "break_taken"
    /// A kind's reminders are withheld for a while.
    case snoozed
    /// A kind was reset without a break.
    case skipped
    /// A command the rules refuse.
    case refused
    /// Every reminder is withheld for a while.
    case paused
    /// A pause ended.
    case resumed
    /// The day's sitting time reached `daily_limit`.
    case dailyLimit = "daily_limit"
    /// An absence began.
    case away
    /// An absence ended.
    case back

    /// The `event` field: `reminder`, `break_taken`, ….
    public var name: String { rawValue }

    /// The type whose `event` field is `name`, if the engine knows it.
    public init?(name: String) {
        self.init(rawValue: name)
    }
}
