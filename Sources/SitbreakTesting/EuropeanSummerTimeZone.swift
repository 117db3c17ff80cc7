import SitbreakEngine

/// Hand-written rules of a European zone with summer time (the EU rule since 1996): standard
/// offset `standard`, one hour more from the last Sunday of March 01:00 UTC to the last Sunday of
/// October 01:00 UTC. With `standard = 3600` it is Europe/Berlin.
///
/// Lets engine tests cross real clock changes without touching the process's `TZ`.
public struct EuropeanSummerTimeZone: LocalTimeZone {
    /// Seconds east of UTC in winter.
    public var standard: Seconds

    /// Creates the zone; 3600 is Central European Time.
    public init(standard: Seconds = 3600) {
        self.standard = standard
    }

    public func utcOffset(at instant: Timestamp) -> Seconds {
        let days =
            instant.secondsSinceEpoch >= 0
            ? instant.secondsSinceEpoch / 86400 : (instant.secondsSinceEpoch - 86399) / 86400
        let year = CivilDate(daysSinceEpoch: days).year
        let start = Self.lastSunday(year: year, month: 3).daysSinceEpoch * 86400 + 3600
        let end = Self.lastSunday(year: year, month: 10).daysSinceEpoch * 86400 + 3600
        let t = instant.secondsSinceEpoch
        return t >= start && t < end ? standard + 3600 : standard
    }

    /// The last Sunday of `month` in `year`.
    public static func lastSunday(year: Int, month: Int) -> CivilDate {
        var date = CivilDate(year: year, month: month, day: 31)
        while !date.isValid { date.day -= 1 }
        while date.weekday != .sunday { date = date.adding(days: -1) }
        return date
    }
}
