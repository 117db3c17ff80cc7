import Glibc
import SitbreakEngine

/// The local time zone as glibc sees it: `TZ` if set, else `/etc/localtime`.
///
/// Backed by `localtime_r`'s `tm_gmtoff`, because FoundationEssentials has no time-zone database
/// and full Foundation would spend the daemon's memory budget on ICU (docs/design.md §7).
public struct GlibcTimeZone: LocalTimeZone {
    /// `localtime_r` does not read `TZ` by itself (POSIX leaves that to `tzset`); once per process
    /// is enough since nothing here changes `TZ` afterwards.
    private static let loadRules: Void = tzset()

    /// Loads the zone rules named by the environment.
    public init() {
        Self.loadRules
    }

    /// Seconds east of UTC at `instant`; 0 if glibc cannot convert it (far outside any real date).
    public func utcOffset(at instant: Timestamp) -> Seconds {
        var seconds = time_t(instant.secondsSinceEpoch)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Seconds(parts.tm_gmtoff)
    }
}
