import SitbreakEngine

/// Durations as people write them in the configuration and in commands: `"45s"`, `"20m"`,
/// `"1h30m"`, `"0s"`.
///
/// Units are `h`, `m` and `s`, in that order, each a whole number and each at most once. Seconds
/// are allowed at any size so that tests can run live in seconds.
public enum DurationText {
    /// The longest duration accepted: 366 days (`"8784h"`). Longer values are surely mistakes,
    /// and the bound keeps the engine's instant arithmetic far from overflow.
    public static let maximum: Seconds = 366 * 86_400

    /// The seconds `text` denotes, or nil when it is not a duration or is longer than `maximum`.
    ///
    /// `"off"` is not a duration: callers that allow it check for it first.
    public static func parse(_ text: some StringProtocol) -> Seconds? {
        guard let seconds = parseUnbounded(text), seconds <= maximum else { return nil }
        return seconds
    }

    /// `seconds` written the way `parse` reads it: `"1h30m"`, `"45s"`, `"0s"`.
    public static func format(_ seconds: Seconds) -> String {
        if seconds == 0 { return "0s" }
        if seconds < 0 { return "-" + format(seconds == Seconds.min ? Seconds.max : -seconds) }
        let hours = seconds / 3600
        let minutes = seconds % 3600 / 60
        let rest = seconds % 60
        var out = ""
        if hours > 0 { out += "\(hours)h" }
        if minutes > 0 { out += "\(minutes)m" }
        if rest > 0 { out += "\(rest)s" }
        return out
    }

    /// Like `parse` without the upper bound, so that validation can tell "too long" from "not a
    /// duration"; a value too large for `Seconds` comes back as `Seconds.max`.
    static func parseUnbounded(_ text: some StringProtocol) -> Seconds? {
        var total: Seconds = 0
        var number: Seconds? = nil
        var saturated = false
        // Index into "hms" of the last unit read; each later unit must come after it.
        var lastUnit = -1
        for byte in text.utf8 {
            if TOMLByte.isDigit(byte) {
                let digit = Seconds(byte - UInt8(ascii: "0"))
                let (shifted, overflow1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (next, overflow2) = shifted.addingReportingOverflow(digit)
                if overflow1 || overflow2 { saturated = true }
                number = overflow1 || overflow2 ? Seconds.max / 10 : next
                continue
            }
            let unit: (index: Int, seconds: Seconds)
            switch byte {
            case UInt8(ascii: "h"): unit = (0, 3600)
            case UInt8(ascii: "m"): unit = (1, 60)
            case UInt8(ascii: "s"): unit = (2, 1)
            default: return nil
            }
            guard let value = number, unit.index > lastUnit else { return nil }
            let (part, overflow1) = value.multipliedReportingOverflow(by: unit.seconds)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            if overflow1 || overflow2 { saturated = true }
            total = overflow1 || overflow2 ? Seconds.max : sum
            number = nil
            lastUnit = unit.index
        }
        guard number == nil, lastUnit >= 0 else { return nil }
        return saturated ? Seconds.max : total
    }
}
