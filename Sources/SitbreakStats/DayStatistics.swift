import SitbreakEngine

/// The statistics of one local day (`day_starts` to `day_starts`): what the day's events and
/// sitting spans add up to. The members, their names and their order in every output are
/// described once, in ``fields`` and ``KindStatistics/fields``.
public struct DayStatistics: Hashable, Sendable {
    /// The local date on which the day starts.
    public var date: CivilDate
    /// The day's first instant.
    public var start: Timestamp
    /// The first instant after the day (in a simulation, `end` when that comes first).
    public var end: Timestamp
    /// Sitting time within the day, as `daily_limit` counts it.
    public var sittingSeconds: Seconds = 0
    /// The longest stretch of that sitting, uninterrupted by an absence, within the day.
    public var longestSittingSeconds: Seconds = 0
    /// Whether a `daily_limit` event fired in the day.
    public var dailyLimit = false
    /// When sitting first counted in the day, if it did.
    public var firstActivity: Timestamp?
    /// When the day's last stretch of sitting ended (or the day did, sitting on).
    public var lastActivity: Timestamp?
    /// Per configured kind, in the schedule's order.
    public var kinds: [KindStatistics]
    /// Sitting seconds per local hour of the day (index 0 = the hour starting at local midnight;
    /// 24 entries), for the weekday × hour heat map. Not one of the members in the outputs.
    public var sittingByHour: [Seconds] = Array(repeating: 0, count: 24)

    /// An empty day.
    public init(date: CivilDate, start: Timestamp, end: Timestamp, kindNames: [String]) {
        self.date = date
        self.start = start
        self.end = end
        self.kinds = kindNames.map(KindStatistics.init(kind:))
    }

    /// The `day` member: `YYYY-MM-DD`.
    public var day: String { date.isoText }
}

/// One kind's counts within a day.
public struct KindStatistics: Hashable, Sendable {
    /// The kind's name.
    public var kind: String
    /// `reminder` events of the kind, nags included.
    public var reminders = 0
    /// Reminders of other kinds that listed it in `covers`.
    public var covered = 0
    /// `break_taken` events of the kind.
    public var breaks = 0
    /// Of ``breaks``, those not prompted by a reminder.
    public var natural = 0
    /// Of ``breaks``, those marked with `done`.
    public var manual = 0
    /// `snoozed` events of the kind.
    public var snoozed = 0
    /// `skipped` events of the kind.
    public var skipped = 0
    /// For each break after a reminder, seconds from the first reminder since the kind's last
    /// reset to leaving (the absence's start), in the order taken.
    public var lateness: [Seconds] = []

    /// No events yet.
    public init(kind: String) {
        self.kind = kind
    }

    /// Breaks taken after a reminder: neither natural nor manual.
    public var afterReminder: Int { breaks - natural - manual }

    /// The median of ``lateness`` (the lower of the two middle values for an even count, so it
    /// is always a lateness that happened); nil without breaks after a reminder.
    public var latenessMedian: Seconds? {
        guard !lateness.isEmpty else { return nil }
        return lateness.sorted()[(lateness.count - 1) / 2]
    }

    /// The largest of ``lateness``; nil without breaks after a reminder.
    public var latenessMax: Seconds? { lateness.max() }
}

extension CivilDate {
    /// `YYYY-MM-DD`.
    public var isoText: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Parses `YYYY-MM-DD`; nil unless it names a real date.
    public init?(isoText text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
        guard isValid else { return nil }
    }
}
