import SitbreakEngine

/// Durations as traces write them: `45s`, `20m`, `1h30m`, `2h`.
///
/// The same spelling as the configuration's durations (docs/design.md §3), minus `off`, which only
/// `pause` accepts and handles itself. Kept here rather than shared with SitbreakConfig so the
/// simulator parses bytes without building strings.
public enum TraceDuration {
    /// Parses hours, minutes and seconds, each at most once and in that order, e.g. `1h30m`.
    ///
    /// Returns nil for anything else, including an empty text, a bare number and units out of order.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> Seconds? {
        var total: Seconds = 0
        var number: Seconds = 0
        var digits = 0
        // Units already used; each later unit must be smaller, which also forbids repeats.
        var lastUnitRank = 3
        for byte in bytes {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                // Nine digits keep every sum far from overflow; no real duration needs more.
                guard digits < 9 else { return nil }
                number = number * 10 + Seconds(byte - UInt8(ascii: "0"))
                digits += 1
                continue
            }
            let rank: Int
            let scale: Seconds
            switch byte {
            case UInt8(ascii: "h"): (rank, scale) = (2, 3600)
            case UInt8(ascii: "m"): (rank, scale) = (1, 60)
            case UInt8(ascii: "s"): (rank, scale) = (0, 1)
            default: return nil
            }
            guard digits > 0, rank < lastUnitRank else { return nil }
            total += number * scale
            lastUnitRank = rank
            number = 0
            digits = 0
        }
        guard digits == 0, lastUnitRank < 3 else { return nil }
        return total
    }

    /// Parses a duration from text, with the same rules as the byte form.
    public static func parse(_ text: some StringProtocol) -> Seconds? {
        parse(ArraySlice(text.utf8))
    }
}
