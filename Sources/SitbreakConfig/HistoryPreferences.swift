import SitbreakEngine

/// The `[history]` table: how long the daemon's history store keeps events (docs/statistics.md §5).
///
/// ```toml
/// [history]
/// keep = "2y"   # or "90d", "8w"; "off" keeps everything
/// ```
public struct HistoryPreferences: Hashable, Sendable {
    /// The default retention: two years.
    public static let defaultKeep: Seconds = 2 * 365 * 86_400

    /// How long events are kept, in seconds; nil keeps everything (`keep = "off"`).
    public var keep: Seconds?

    /// Preferences keeping `keep` seconds (nil: everything).
    public init(keep: Seconds? = HistoryPreferences.defaultKeep) {
        self.keep = keep
    }

    /// `"2y"`, `"90d"`, `"8w"` (a year is 365 days) or `"off"` (nil); nil for anything else, or
    /// for a period of zero or longer than 100 years.
    public static func parseKeep(_ text: String) -> Seconds?? {
        if text == "off" { return .some(nil) }
        guard let unit = text.last, let count = Int64(text.dropLast()), count > 0, !text.hasPrefix("+") else {
            return nil
        }
        let day: Seconds = 86_400
        let length: Seconds
        switch unit {
        case "y": length = 365 * day
        case "w": length = 7 * day
        case "d": length = day
        default: return nil
        }
        guard count <= 100 * 365 * day / length else { return nil }
        return .some(count * length)
    }
}
