import SitbreakEngine

/// The day statistics of a range of days added up (the `totals` of the socket's `stats` result,
/// docs/protocol.md): sitting summed, the longest stretch the longest of any day, the days that
/// reached `daily_limit` counted, the first and last activity of the range, and per kind the
/// counts summed with the lateness of every break after a reminder in the range (so its median
/// and maximum are those of the whole range).
public struct StatisticsTotals: Hashable, Sendable {
    /// How many days were added.
    public var days = 0
    /// Sitting in all of them.
    public var sittingSeconds: Seconds = 0
    /// The longest stretch of sitting counted in any one day.
    public var longestSittingSeconds: Seconds = 0
    /// The days on which `daily_limit` was reached.
    public var dailyLimitDays = 0
    /// The first activity of the range.
    public var firstActivity: Timestamp?
    /// The last activity of the range.
    public var lastActivity: Timestamp?
    /// Per kind, in the order of the days' kinds.
    public var kinds: [KindStatistics] = []

    /// The totals of `statistics` (oldest first).
    public init(_ statistics: [DayStatistics]) {
        for day in statistics {
            days += 1
            sittingSeconds += day.sittingSeconds
            longestSittingSeconds = max(longestSittingSeconds, day.longestSittingSeconds)
            if day.dailyLimit { dailyLimitDays += 1 }
            firstActivity = firstActivity ?? day.firstActivity
            lastActivity = day.lastActivity ?? lastActivity
            for kind in day.kinds {
                if let i = kinds.firstIndex(where: { $0.kind == kind.kind }) {
                    kinds[i].add(kind)
                } else {
                    kinds.append(kind)
                }
            }
        }
    }

    /// The totals' own members, in output order, described as the days' are.
    public var fields: [DayStatistics.Field] {
        [
            .init("days", .count(days)),
            .init("sitting_s", .seconds(sittingSeconds)),
            .init("longest_sitting_s", .seconds(longestSittingSeconds)),
            .init("daily_limit_days", .count(dailyLimitDays)),
            .init("first_activity", .time(firstActivity)),
            .init("last_activity", .time(lastActivity)),
        ]
    }

    /// One JSON object (no line feed): ``fields``, then `kinds` shaped as a day's.
    public var jsonObject: String {
        DayStatistics.jsonObject(fields, kinds: kinds)
    }
}

extension KindStatistics {
    /// Adds `other`'s counts and lateness to these (the same kind on another day).
    public mutating func add(_ other: KindStatistics) {
        reminders += other.reminders
        covered += other.covered
        breaks += other.breaks
        natural += other.natural
        manual += other.manual
        snoozed += other.snoozed
        skipped += other.skipped
        lateness += other.lateness
    }
}
