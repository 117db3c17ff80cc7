/// Something the engine decided, at an instant (docs/engine.md §8).
public struct Event: Hashable, Sendable {
    /// When it happened on the engine's timeline.
    public var time: Timestamp
    /// What happened.
    public var body: Body

    /// Creates an event.
    public init(time: Timestamp, body: Body) {
        self.time = time
        self.body = body
    }

    /// The event types and the fields that identify them.
    public enum Body: Hashable, Sendable {
        /// Time to take a break (or, for a nudge, the whole thing).
        case reminder(Reminder)
        /// An absence long enough for `kind`, or the person said `done`.
        case breakTaken(kind: String, natural: Bool, manual: Bool, awaySeconds: Seconds)
        /// The kind's reminders are withheld until `until`.
        case snoozed(kind: String, until: Timestamp)
        /// The kind was reset without a break.
        case skipped(kind: String)
        /// A command the rules refuse; nothing changed. The event's `kind` is the command's.
        case refused(command: Command, reason: Refusal)
        /// Every reminder is withheld until `until`.
        case paused(until: Timestamp)
        /// A pause ended.
        case resumed
        /// The day's sitting time reached `daily_limit`.
        case dailyLimit(sittingSeconds: Seconds)
        /// The engine learnt of an absence that began at `since`.
        case away(since: Timestamp)
        /// The absence ended after `awaySeconds`.
        case back(awaySeconds: Seconds)
    }

    /// The fields of a `reminder` event.
    public struct Reminder: Hashable, Sendable {
        /// The kind that reminds.
        public var kind: String
        /// 0 for a series' first reminder, then 1, 2, … for its nags.
        public var nag: Int
        /// The kind's sitting time at this instant.
        public var sittingSeconds: Seconds
        /// Other kinds this reminder stands for, in code-point order of their names.
        public var covers: [String]
        /// The kind's message.
        public var message: String
        /// One suggestion of a gentle activity ("" when the kind has none).
        public var suggestion: String

        /// Creates the fields of a reminder.
        public init(
            kind: String, nag: Int, sittingSeconds: Seconds, covers: [String], message: String, suggestion: String
        ) {
            self.kind = kind
            self.nag = nag
            self.sittingSeconds = sittingSeconds
            self.covers = covers
            self.message = message
            self.suggestion = suggestion
        }
    }

    /// The `event` field: `reminder`, `break_taken`, `snoozed`, ….
    public var name: String { body.name }
}

extension Event.Body {
    /// The event's type: its name, and what else is described per type.
    public var type: EventType {
        switch self {
        case .reminder: .reminder
        case .breakTaken: .breakTaken
        case .snoozed: .snoozed
        case .skipped: .skipped
        case .refused: .refused
        case .paused: .paused
        case .resumed: .resumed
        case .dailyLimit: .dailyLimit
        case .away: .away
        case .back: .back
        }
    }

    /// The `event` field of this body.
    public var name: String { type.name }

    /// The kind the event is about, if any.
    public var kind: String? {
        switch self {
        case .reminder(let r): r.kind
        case .breakTaken(let kind, _, _, _), .snoozed(let kind, _), .skipped(let kind): kind
        case .refused(let command, _): command.kind
        case .paused, .resumed, .dailyLimit, .away, .back: nil
        }
    }
}
