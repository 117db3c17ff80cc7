/// The local days that `daily_limit` and the day statistics count in: each starts at
/// `day_starts`, local time, and ends when the next one starts (docs/engine.md §6), so a day with
/// a clock change is 23 or 25 hours long.
public struct LocalDays: Sendable {
    /// Minutes after local midnight at which a day starts (`day_starts`).
    public let dayStartsMinute: Int
    /// The local time zone.
    public let timeZone: any LocalTimeZone

    /// Creates the days of a zone that start `dayStartsMinute` minutes after local midnight.
    public init(dayStartsMinute: Int, timeZone: any LocalTimeZone) {
        self.dayStartsMinute = dayStartsMinute
        self.timeZone = timeZone
    }

    /// One local day: the date on which it starts, its first instant and the first instant after it.
    public struct Day: Hashable, Sendable {
        /// The local date on which the day starts.
        public var date: CivilDate
        /// Its first instant.
        public var start: Timestamp
        /// The first instant of the next day.
        public var end: Timestamp
    }

    /// The day that contains `time`.
    public func day(containing time: Timestamp) -> Day {
        var date = timeZone.localDate(at: time)
        var start = timeZone.instant(on: date, minuteOfDay: dayStartsMinute)
        if start > time {
            date = date.adding(days: -1)
            start = timeZone.instant(on: date, minuteOfDay: dayStartsMinute)
        }
        var end = timeZone.instant(on: date.adding(days: 1), minuteOfDay: dayStartsMinute)
        if end <= time {
            // Only reachable through a clock change of a day or more; move on a day.
            date = date.adding(days: 1)
            start = end
            end = timeZone.instant(on: date.adding(days: 1), minuteOfDay: dayStartsMinute)
        }
        return Day(date: date, start: start, end: end)
    }

    /// The day that starts on local `date`.
    public func day(startingOn date: CivilDate) -> Day {
        Day(
            date: date, start: timeZone.instant(on: date, minuteOfDay: dayStartsMinute),
            end: timeZone.instant(on: date.adding(days: 1), minuteOfDay: dayStartsMinute))
    }
}
