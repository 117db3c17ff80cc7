/// What the engine tracks for one break kind between resets.
struct KindState: Sendable {
    /// The kind's settings.
    let kind: BreakKind
    /// Sitting time since the last reset.
    var meter = SittingMeter()
    /// When the kind was last reset (by a break, a nudge's reminder, `skip` or `done`).
    var resetAt = Timestamp.distantPast
    /// The highest multiple of `every` the sitting time has reached since the reset; a series
    /// starts only when a higher one is first reached.
    var multiplesReached = 0
    /// The most recent reminder since the reset that counted for this kind (its own or one that
    /// covered it). Its presence keeps the kind due.
    var lastReminderAt: Timestamp?
    /// The unfinished reminder series, if any.
    var series: Series?
    /// Reminders are withheld until then.
    var snoozedUntil: Timestamp?
    /// Snoozes since the last reset.
    var snoozeCount = 0
    /// Reminders this kind has emitted; picks the next suggestion.
    var remindersEmitted = 0

    /// The next reminder of a series and the earliest instant it may fire.
    struct Series: Sendable {
        /// 0 for the series' first reminder, then 1, 2, … for nags.
        var nextNag: Int
        /// Not before this instant (the series' start, then `renotify` after each reminder).
        var notBefore: Timestamp
    }

    init(kind: BreakKind) {
        self.kind = kind
    }

    /// Whether the kind is due at `time`: sitting reached `every`, or a reminder already fired.
    func isDue(at time: Timestamp) -> Bool {
        lastReminderAt != nil || meter.value(at: time) >= kind.every
    }

    /// Whether a snooze withholds the kind's reminders at `time`.
    func isSnoozed(at time: Timestamp) -> Bool {
        if let snoozedUntil { return snoozedUntil > time }
        return false
    }

    /// Starts over from zero sitting (docs/engine.md §3.1): ends any series and any snooze.
    mutating func reset(at time: Timestamp, present: Bool) {
        meter.reset(at: time, running: present)
        resetAt = time
        multiplesReached = 0
        lastReminderAt = nil
        series = nil
        snoozedUntil = nil
        snoozeCount = 0
    }

    /// Counts a reminder at `time` (its own or one that covered it) in the kind's series.
    mutating func countReminder(at time: Timestamp) {
        lastReminderAt = time
        guard var current = series else { return }
        current.nextNag += 1
        if let maxNags = kind.maxNags, current.nextNag > maxNags {
            series = nil
        } else {
            current.notBefore = time + kind.renotify
            series = current
        }
    }

    /// The suggestion for the next reminder, rotating through the kind's list.
    var nextSuggestion: String {
        kind.suggestions.isEmpty ? "" : kind.suggestions[remindersEmitted % kind.suggestions.count]
    }

    /// Orders kinds for covering: longest duration, then longest `every`, then name.
    static func coversBefore(_ a: KindState, _ b: KindState) -> Bool {
        if a.kind.duration != b.kind.duration { return a.kind.duration > b.kind.duration }
        if a.kind.every != b.kind.every { return a.kind.every > b.kind.every }
        return a.kind.name.unicodeScalars.lexicographicallyPrecedes(b.kind.name.unicodeScalars)
    }
}
