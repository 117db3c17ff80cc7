import SitbreakEngine
import SitbreakStats

/// The days a `stats` request asks for (docs/protocol.md): `since` and `until` are local dates,
/// both included; a missing `until` means today, a missing `since` the 7 days before `until`.
public struct StatsQuery: Hashable, Sendable {
    /// The first day, or nil: the 7 days before the last one.
    public var since: CivilDate?
    /// The last day, or nil: today.
    public var until: CivilDate?
    /// Whether each day also carries `sitting_by_hour` (24 numbers of seconds, by local clock
    /// hour), for the heat map `sitbreakctl stats` draws.
    public var hours: Bool

    /// At most this many days per request: about three years, so one request cannot keep the
    /// daemon busy for long.
    public static let maximumDays: Int64 = 1100

    /// Creates a query.
    public init(since: CivilDate? = nil, until: CivilDate? = nil, hours: Bool = false) {
        self.since = since
        self.until = until
        self.hours = hours
    }

    /// The first and last day on a `today`.
    public func range(today: CivilDate) -> (first: CivilDate, last: CivilDate) {
        let last = until ?? today
        return (since ?? last.adding(days: -7), last)
    }
}
