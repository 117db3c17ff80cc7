/// Wall-clock times as people read them: `HH:MM` and `HH:MM:SS`, zero-padded.
///
/// The one place that pads and splits a day into hours, minutes and seconds, for the journal's
/// sentences, the daemon's `STATUS=` line and log lines, and the configuration's `day_starts` and
/// `active_hours` summaries.
public enum ClockText {
    /// `HH:MM` for minutes after midnight (0…1440; 1440 is `24:00`, the end of a day).
    public static func hoursMinutes(minuteOfDay: Int64) -> String {
        twoDigits(minuteOfDay / 60) + ":" + twoDigits(minuteOfDay % 60)
    }

    /// `HH:MM:SS` for seconds after midnight (0…86399).
    public static func hoursMinutesSeconds(secondOfDay: Int64) -> String {
        hoursMinutes(minuteOfDay: secondOfDay / 60) + ":" + twoDigits(secondOfDay % 60)
    }

    /// The local day (days since 1970-01-01) and the second of that day at which `instant` falls
    /// in `zone`; correct before 1970 too (floor division).
    public static func localDayAndSecond(
        of instant: Timestamp, in zone: some LocalTimeZone
    ) -> (day: Int64, secondOfDay: Int64) {
        let local = instant.secondsSinceEpoch + zone.utcOffset(at: instant)
        let day = local >= 0 ? local / 86400 : (local - 86399) / 86400
        return (day, local - day * 86400)
    }

    /// `n` with at least two digits.
    public static func twoDigits(_ n: Int64) -> String { n < 10 ? "0\(n)" : String(n) }
}
