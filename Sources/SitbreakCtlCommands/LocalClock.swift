import Glibc
import SitbreakConfig
import SitbreakEngine
import SitbreakSystem

/// Writes the daemon's UTC instants in the reader's local time (TZ), as people read a clock.
struct LocalClock {
    private let zone = GlibcTimeZone()
    /// The local date now, to leave it out of times that fall today.
    private let today: CivilDate

    /// A clock for the present moment.
    init() {
        today = Self.localDate(Timestamp(secondsSinceEpoch: Int64(time(nil))), zone: zone)
    }

    /// `10:26` today, `2026-12-01 10:26` on any other day; with `seconds`, `10:26:05`.
    func format(_ instant: Timestamp, seconds: Bool = false) -> String {
        let local = instant.secondsSinceEpoch + zone.utcOffset(at: instant)
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secondOfDay = local - days * 86400
        var text = Self.two(secondOfDay / 3600) + ":" + Self.two(secondOfDay / 60 % 60)
        if seconds { text += ":" + Self.two(secondOfDay % 60) }
        let date = CivilDate(daysSinceEpoch: days)
        if date != today {
            text = "\(date.year)-\(Self.two(Int64(date.month)))-\(Self.two(Int64(date.day))) " + text
        }
        return text
    }

    /// `2026-12-05 08:37:51 +05:30` (`Z` for UTC): the date, the time and the zone's offset, for
    /// `sitbreakctl doctor`'s clock check.
    func dateTimeText(_ instant: Timestamp) -> String {
        let offset = zone.utcOffset(at: instant)
        let (day, secondOfDay) = ClockText.localDayAndSecond(of: instant, in: zone)
        let date = CivilDate(daysSinceEpoch: day)
        var zoneText = "Z"
        if offset != 0 {
            zoneText = (offset < 0 ? "-" : "+") + ClockText.hoursMinutes(minuteOfDay: abs(offset) / 60)
            if abs(offset) % 60 != 0 { zoneText += ":" + ClockText.twoDigits(abs(offset) % 60) }
        }
        return "\(date.year)-\(Self.two(Int64(date.month)))-\(Self.two(Int64(date.day))) "
            + ClockText.hoursMinutesSeconds(secondOfDay: secondOfDay) + " " + zoneText
    }

    /// Like ``format(_:seconds:)`` for RFC 3339 text; text that is not a time is shown as it is.
    func format(rfc3339 text: String, seconds: Bool = false) -> String {
        guard let instant = Timestamp(rfc3339: text) else { return text }
        return format(instant, seconds: seconds)
    }

    private static func localDate(_ instant: Timestamp, zone: GlibcTimeZone) -> CivilDate {
        let local = instant.secondsSinceEpoch + zone.utcOffset(at: instant)
        return CivilDate(daysSinceEpoch: local >= 0 ? local / 86400 : (local - 86399) / 86400)
    }

    private static func two(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

/// A duration in seconds the way the configuration writes it (`50m`, `1h30m`).
func durationText(_ seconds: Int64) -> String {
    DurationText.format(seconds)
}
