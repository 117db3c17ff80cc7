/// Everything the engine needs to know about the person's sitting schedule (docs/design.md §3).
///
/// Built by `SitbreakConfig` from TOML or from the built-in default; the engine only reads it.
public struct Schedule: Hashable, Sendable {
    /// No input for at least this long is absence; shorter idle is sitting (reading).
    public var idleThreshold: Seconds
    /// A reminder also covers nudges that would fall due at most this much later.
    public var coalesce: Seconds
    /// Local wall-clock minute at which a day starts for the daily limit (e.g. 240 for 04:00).
    public var dayStartsMinute: Int
    /// Sitting time per day after which one `daily_limit` event fires; nil = off.
    public var dailyLimit: Seconds?
    /// Length of `pause` without a duration.
    public var pauseDefault: Seconds
    /// Whether an idle inhibitor (a video, a call) keeps idle from becoming absence.
    public var inhibitorsCountAsSitting: Bool
    /// When reminders may fire; empty means always.
    public var activeHours: [ActiveHoursEntry]
    /// The break kinds, in the order they were defined.
    public var kinds: [BreakKind]

    /// Creates a schedule; `SitbreakConfig` validates the values before it gets here.
    public init(
        idleThreshold: Seconds = 120,
        coalesce: Seconds = 120,
        dayStartsMinute: Int = 240,
        dailyLimit: Seconds? = nil,
        pauseDefault: Seconds = 3600,
        inhibitorsCountAsSitting: Bool = true,
        activeHours: [ActiveHoursEntry] = [],
        kinds: [BreakKind]
    ) {
        self.idleThreshold = idleThreshold
        self.coalesce = coalesce
        self.dayStartsMinute = dayStartsMinute
        self.dailyLimit = dailyLimit
        self.pauseDefault = pauseDefault
        self.inhibitorsCountAsSitting = inhibitorsCountAsSitting
        self.activeHours = activeHours
        self.kinds = kinds
    }
}

/// One kind of break: a walk, a stretch, a posture nudge (docs/engine.md §3).
public struct BreakKind: Hashable, Sendable {
    /// The kind's name as written in `[breaks.NAME]` and in commands (`snooze walk`).
    public var name: String
    /// Sitting time between breaks.
    public var every: Seconds
    /// How long an absence must last to count as this break; 0 makes the kind a nudge.
    public var duration: Seconds
    /// Wall time between the reminders of one series.
    public var renotify: Seconds
    /// How many nags may follow a series' first reminder; nil = no limit.
    public var maxNags: Int?
    /// Default length of `snooze KIND`.
    public var snooze: Seconds
    /// How many snoozes are allowed between two resets; nil = no limit.
    public var maxSnoozes: Int?
    /// The text of the reminder.
    public var message: String
    /// Gentle activities to suggest, one per reminder, in rotation.
    public var suggestions: [String]

    /// Creates a kind; defaults are those of docs/design.md §3.
    public init(
        name: String,
        every: Seconds,
        duration: Seconds,
        renotify: Seconds = 300,
        maxNags: Int? = 3,
        snooze: Seconds = 600,
        maxSnoozes: Int? = 2,
        message: String? = nil,
        suggestions: [String] = []
    ) {
        self.name = name
        self.every = every
        self.duration = duration
        self.renotify = renotify
        self.maxNags = maxNags
        self.snooze = snooze
        self.maxSnoozes = maxSnoozes
        self.message = message ?? "Time for a \(name) break."
        self.suggestions = suggestions
    }

    /// A nudge's reminder is the whole thing: it has no duration and no nags.
    public var isNudge: Bool { duration == 0 }
}

/// One `active_hours` entry: `DAYS HH:MM-HH:MM` in local time.
public struct ActiveHoursEntry: Hashable, Sendable {
    /// The days on which the window starts.
    public var days: Set<Weekday>
    /// Start, in minutes after local midnight (0…1439).
    public var startMinute: Int
    /// End, in minutes after local midnight (1…1440); at or before the start means the window
    /// runs past midnight into the next day.
    public var endMinute: Int

    /// Creates an entry.
    public init(days: Set<Weekday>, startMinute: Int, endMinute: Int) {
        self.days = days
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Whether the window runs past midnight (and so belongs to its start day).
    public var isOvernight: Bool { endMinute <= startMinute }
}
