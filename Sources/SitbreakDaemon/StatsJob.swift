import SitbreakEngine
import SitbreakHistory
import SitbreakProtocol
import SitbreakStats
import SitbreakSystem

/// One `stats` request being answered a slice of days at a time (docs/statistics.md §5.1): the
/// daemon has one thread, so a long range computed in one go would hold up every other client
/// (a `status` behind a year). Each turn of the loop computes days until ``sliceBudgetNanoseconds``
/// is spent, then serves whoever else is ready; the reply goes out when the last day is done.
///
/// What it reflects: the range and the instant an open span counts up to are fixed when the
/// request arrives (`now`), and each slice reads the store as it is when the slice runs. Rows
/// written after the request carry later times, so they change nothing before `now`; only an
/// absence back-dated over the request's instant (it ends the open span earlier) or a wall-clock
/// step back in between can show in the days not yet computed, each day still counted once.
final class StatsJob {
    /// The client waiting for the reply (it sends no further request meanwhile).
    let client: ClientConnection
    /// The request's id.
    let id: JSONValue
    let query: StatsQuery
    /// The request's instant: days after the one containing it are not listed; an open span
    /// counts up to it.
    let now: Timestamp
    let days: LocalDays
    let kindNames: [String]
    /// The last day asked for.
    let last: CivilDate
    /// The next day to compute.
    private var next: CivilDate
    /// The days computed so far, oldest first (for the totals).
    private var statistics: [DayStatistics] = []
    /// Their JSON objects, made as each slice is computed (the finishing turn only joins them).
    private var objects: [String] = []
    /// The reply, once the last slice is done or a read failed.
    private(set) var reply: String?

    /// A turn of the loop spends at most about this long on one request (one slice may overrun
    /// it: a slice is at least one day).
    static let sliceBudgetNanoseconds: Int64 = 1_000_000
    /// Days read from the store per query: fewer queries for a long range, a short slice each.
    static let daysPerSlice: Int64 = 7

    init(
        client: ClientConnection, id: JSONValue, query: StatsQuery, now: Timestamp, days: LocalDays, kindNames: [String]
    ) {
        self.client = client
        self.id = id
        self.query = query
        self.now = now
        self.days = days
        self.kindNames = kindNames
        let range = query.range(today: days.day(containing: now).date)
        next = range.first
        // Days after the one containing `now` are not listed.
        last = min(range.last, days.day(containing: now).date)
    }

    /// Computes days until the budget is spent or the range is done; true once ``reply`` is set.
    func advance(_ history: DaemonHistory) -> Bool {
        guard reply == nil else { return true }
        let started = SystemClock.monotonicNanoseconds()
        repeat {
            guard next <= last else {
                finish()
                return true
            }
            let sliceLast = min(last, next.adding(days: Self.daysPerSlice - 1))
            let slice: [DayStatistics]
            do {
                slice = try history.statistics(days: days, kindNames: kindNames, first: next, last: sliceLast, now: now)
            } catch {
                reply = Reply.failure(id: id, error: ProtocolError(.unsupported, "history: \(error)"))
                return true
            }
            statistics += slice
            objects += slice.map { query.hours ? Self.withHours($0) : $0.jsonObject }
            next = sliceLast.adding(days: 1)
        } while SystemClock.monotonicNanoseconds() - started < Self.sliceBudgetNanoseconds
        return false
    }

    /// The `stats` reply: `{"days":[…],"totals":{…}}` (docs/protocol.md). The day objects are
    /// already JSON text (derived from their one description): spliced in rather than parsed back.
    private func finish() {
        let result =
            "{\"days\":[" + objects.joined(separator: ",") + "],\"totals\":"
            + StatisticsTotals(statistics).jsonObject + "}"
        statistics = []
        objects = []
        reply = Reply.success(id: id, resultText: result)
    }

    /// The day's object with `sitting_by_hour` as its last member.
    static func withHours(_ day: DayStatistics) -> String {
        String(day.jsonObject.dropLast()) + ",\"sitting_by_hour\":["
            + day.sittingByHour.map { String($0) }.joined(separator: ",") + "]}"
    }
}
