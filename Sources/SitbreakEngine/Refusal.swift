/// Why the rules refused a command (a `refused` event); nothing changed.
///
/// Callers match refusals by case; ``reason`` is the wire text of the event's `reason` field.
public enum Refusal: Hashable, Sendable {
    /// The command named a kind the schedule does not have.
    case unknownKind(String, known: [String])
    /// The snooze asked for (or the kind's `snooze` setting) is zero.
    case snoozeTooShort
    /// The kind was already snoozed `limit` times since its last break.
    case maxSnoozes(kind: String, limit: Int)
    /// `pause off`: a pause always ends.
    case unboundedPause
    /// The pause asked for (or `pause_default`) is zero.
    case pauseTooShort
    /// `resume-reminders` while reminders are not paused.
    case notPaused

    /// The sentence of the event's `reason` field, e.g. `reminders are not paused`.
    public var reason: String {
        switch self {
        case .unknownKind(let name, let known):
            "unknown kind \"\(name)\"; the kinds are \(known.joined(separator: ", "))"
        case .snoozeTooShort:
            "a snooze must last at least 1s"
        case .maxSnoozes(let kind, let limit):
            "\(kind) was already snoozed \(limit == 1 ? "once" : "\(limit) times") since its last break "
                + "(max_snoozes = \(limit))"
        case .unboundedPause:
            "a pause always ends: give a duration such as 30m, or none for pause_default"
        case .pauseTooShort:
            "a pause must last at least 1s"
        case .notPaused:
            "reminders are not paused"
        }
    }
}
