import CLinux
import Glibc
import SitbreakEngine
import SitbreakHistory
import SitbreakProtocol
import SitbreakStats

extension Daemon {
    /// `history.sqlite3` in the state directory.
    static let historyFileName = "history.sqlite3"

    /// Opens the history store next to the saved state (before the first batch writes to it).
    func openHistory() {
        history = DaemonHistory(
            path: store.directory + "/" + Self.historyFileName, keep: core.historyKeep, now: now(), log: log)
    }

    /// Writes the batch's events and presence changes, before anything reports them.
    func recordHistory(_ plan: DaemonCore.BatchPlan, at now: Timestamp) {
        history?.append(events: plan.events, changes: plan.changes, now: now)
    }

    /// At shutdown: the open stretch of sitting ends now (the next start counts from its input).
    func closeHistory() {
        let now = now()
        history?.append(events: [], changes: [.absent(since: now, learnedAt: now)], now: now)
        history = nil
    }

    /// The local days as the configuration draws them (`day_starts`).
    var localDays: LocalDays {
        LocalDays(dayStartsMinute: schedule.dayStartsMinute, timeZone: core.timeZone)
    }

    /// The `stats` reply: `{"days":[…],"totals":{…}}` (docs/protocol.md).
    func statsReply(_ query: StatsQuery, id: JSONValue) -> String {
        let now = now()
        let days = localDays
        let range = query.range(today: days.day(containing: now).date)
        guard let history else {
            return Reply.failure(id: id, error: ProtocolError(.unsupported, "the daemon keeps no history"))
        }
        let statistics: [DayStatistics]
        do {
            statistics = try history.statistics(
                days: days, kindNames: schedule.kinds.map(\.name), first: range.first, last: range.last, now: now)
        } catch {
            return Reply.failure(id: id, error: ProtocolError(.unsupported, "history: \(error)"))
        }
        // The day objects are already JSON text (derived from their one description): spliced in
        // rather than parsed back into values.
        let result =
            "{\"days\":["
            + statistics.map { query.hours ? Self.withHours($0) : history.jsonObject(of: $0) }.joined(separator: ",")
            + "],\"totals\":" + StatisticsTotals(statistics).jsonObject + "}"
        defer { malloc_trim(0) }  // A year's reply is ~200 KiB of text: give the pages back.
        return Reply.success(id: id, resultText: result)
    }

    /// The day's object with `sitting_by_hour` as its last member.
    static func withHours(_ day: DayStatistics) -> String {
        String(day.jsonObject.dropLast()) + ",\"sitting_by_hour\":["
            + day.sittingByHour.map { String($0) }.joined(separator: ",") + "]}"
    }

    /// Sitting so far in the local day containing `now`: the stored spans clipped to the day (an
    /// open one up to `now`), as `stats` counts `sitting_s`; nil without history.
    func todaySittingSeconds(at now: Timestamp) -> Seconds? {
        guard let store = history?.store else { return nil }
        let day = localDays.day(containing: now)
        guard let spans = try? store.spans(from: day.start, to: now) else { return nil }
        return spans.reduce(0) { total, span in
            total + max(0, min(span.end ?? now, now) - max(span.start, day.start))
        }
    }
}
