import SitbreakEngine
import SitbreakHistory
import SitbreakStats
import SitbreakSystemd

/// The daemon's side of the history store (docs/statistics.md §5): appends each batch's events
/// and presence changes, keeps what a full or read-only disk would not take and writes it once it
/// can, and prunes at most once a day on a wake-up the daemon has anyway.
///
/// It owns the ``HistoryStore`` (and so the SQLite handle); a store that cannot be opened leaves
/// the daemon running without history, said once in the log.
final class DaemonHistory {
    /// The store, nil when it could not be opened.
    let store: HistoryStore?
    /// `[history] keep`: seconds of history kept, nil for everything.
    var keep: Seconds?
    private let log: any EventLog
    /// Batches not written yet (the disk refused them), oldest first.
    private var backlog: (events: [Event], changes: [PresenceChange]) = ([], [])
    /// Whether the current run of failed writes was logged.
    private var failureLogged = false
    /// Not before this instant is pruning considered again (the store remembers the last one too).
    private var nextPruneCheck: Timestamp?
    /// Day statistics of finished days (docs/statistics.md §4.4), so that `stats` over a long
    /// range reads from the store only the days that can still change (a year: a few hundred bytes
    /// of counts a day, not the ~200 KiB of JSON text, which is made per request and freed after).
    /// An entry is used only while its day's bounds and kinds are still those asked for (a
    /// time-zone change, `day_starts`, a reload).
    private var finishedDays: [CivilDate: DayStatistics] = [:]

    /// At most this many events wait for a disk that takes none (about a month of use); older
    /// ones are dropped first, so a disk that never recovers cannot grow the daemon's memory.
    static let backlogLimit = 20_000

    /// Opens the store at `path` read-write (creating it with mode 0600), logging a damaged file
    /// set aside, then prunes if due.
    init(path: String, keep: Seconds?, now: Timestamp, log: any EventLog) {
        self.keep = keep
        self.log = log
        var opened: HistoryStore?
        do {
            opened = try HistoryStore(path: path, access: .readWrite, now: now)
        } catch {
            log.log(.error, "history off: \(error)")
        }
        store = opened
        if let aside = opened?.setAside {
            log.log(.error, "the history at \(path) was damaged; kept it as \(aside) and started a new one")
        }
        pruneIfDue(now: now)
    }

    /// Writes `events` and `changes` (one loop batch) after whatever is still waiting, in one
    /// transaction; on failure keeps them all for the next batch and logs once until a write
    /// succeeds again.
    func append(events: [Event], changes: [PresenceChange], now: Timestamp) {
        guard let store else { return }
        // Every batch ends here, so pruning needs no timer of its own (idle wake-ups stay 0).
        defer { pruneIfDue(now: now) }
        backlog.events += events
        backlog.changes += changes
        if backlog.events.count > Self.backlogLimit {
            backlog.events.removeFirst(backlog.events.count - Self.backlogLimit)
        }
        guard !backlog.events.isEmpty || !backlog.changes.isEmpty else { return }
        do {
            try store.append(events: backlog.events, changes: backlog.changes)
            backlog = ([], [])
            if failureLogged {
                failureLogged = false
                log.log(.info, "history: writing again (\(store.path))")
            }
        } catch {
            if !failureLogged {
                failureLogged = true
                log.log(
                    .error, "history: cannot write, keeping this batch in memory and retrying with the next: \(error)")
            }
        }
    }

    /// Prunes what is older than `keep`, at most once a day.
    func pruneIfDue(now: Timestamp) {
        guard let store, keep != nil else { return }
        if let next = nextPruneCheck, now < next, now >= next - 86_400 { return }
        nextPruneCheck = now + 86_400
        do {
            // Pruned days would otherwise still be answered from the cache.
            if try store.pruneIfDue(keep: keep, now: now) {
                finishedDays = [:]
            }
        } catch {
            log.log(.warning, "history: pruning failed: \(error)")
        }
    }

    /// At most this many finished days are kept (three years).
    static let finishedDaysLimit = 1100

    /// The day statistics of `first` through `last` (see
    /// ``HistoryStore/statistics(days:kindNames:first:last:now:)``): finished days from the cache,
    /// the rest from the store, from the first day not cached on.
    func statistics(
        days: LocalDays, kindNames: [String], first: CivilDate, last: CivilDate, now: Timestamp
    ) throws(HistoryError) -> [DayStatistics] {
        guard let store else { throw HistoryError(.cannotOpen, path: "history", "the history store is not open") }
        func cached(_ date: CivilDate) -> DayStatistics? {
            guard let day = finishedDays[date] else { return nil }
            let bounds = days.day(startingOn: date)
            guard day.start == bounds.start, day.end == bounds.end, day.kinds.map(\.kind) == kindNames else {
                return nil
            }
            return day
        }
        var result: [DayStatistics] = []
        var date = first
        while date <= last, let day = cached(date) {
            result.append(day)
            date = date.adding(days: 1)
        }
        guard date <= last else { return result }
        let computed = try store.statistics(days: days, kindNames: kindNames, first: date, last: last, now: now)
        result += computed
        // Final: over, and before any open span began (an absence may yet be back-dated into it);
        // nothing waits unwritten.
        guard backlog.events.isEmpty && backlog.changes.isEmpty else { return result }
        let openSince = try store.spans(from: now, to: now + 1).first { $0.end == nil }?.start
        let finalBefore = min(now, openSince ?? now)
        for day in computed where day.end <= finalBefore && finishedDays.count < Self.finishedDaysLimit {
            finishedDays[day.date] = day
        }
        return result
    }
}
