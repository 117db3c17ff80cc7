import SitbreakEngine

/// Local wall-clock times written `HH:MM`, as in `day_starts` and `active_hours`.
public enum TimeOfDayText {
    /// Minutes after midnight for `"HH:MM"` from `00:00` to `23:59`, or to `24:00` when
    /// `allowEndOfDay` is set (the end of an active-hours window); nil otherwise.
    ///
    /// Exactly two digits each: `"8:30"` is refused so that every time reads the same way.
    public static func parse(_ text: some StringProtocol, allowEndOfDay: Bool = false) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":") else { return nil }
        let digits = [bytes[0], bytes[1], bytes[3], bytes[4]]
        guard digits.allSatisfy(TOMLByte.isDigit) else { return nil }
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        let hour = values[0] * 10 + values[1]
        let minute = values[2] * 10 + values[3]
        if allowEndOfDay && hour == 24 && minute == 0 { return 1440 }
        guard hour < 24, minute < 60 else { return nil }
        return hour * 60 + minute
    }

    /// `"HH:MM"` for minutes after midnight (0…1440).
    public static func format(_ minuteOfDay: Int) -> String {
        ClockText.hoursMinutes(minuteOfDay: Int64(minuteOfDay))
    }
}
