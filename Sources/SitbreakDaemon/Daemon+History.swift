import CLinux
import Glibc
import SitbreakEngine
import SitbreakHistory
import SitbreakProtocol
import SitbreakStats
import SitbreakSystem

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

    /// Answers `stats` (docs/protocol.md): at once when the range takes one slice
    /// (``StatsJob/sliceBudgetNanoseconds``), else returns nil with `client` waiting and the job
    /// queued, continued by ``advanceStatsJobs()`` between the loop's other work.
    func stats(_ query: StatsQuery, id: JSONValue, from client: ClientConnection) -> String? {
        guard let history else {
            return Reply.failure(id: id, error: ProtocolError(.unsupported, "the daemon keeps no history"))
        }
        let job = StatsJob(
            client: client, id: id, query: query, now: now(), days: localDays, kindNames: schedule.kinds.map(\.name))
        if job.advance(history), let reply = job.reply {
            defer { malloc_trim(0) }  // A year's reply is ~200 KiB of text: give the pages back.
            return reply
        }
        server.answerLater(client)
        statsJobs.append(job)
        return nil
    }

    /// One slice of the oldest `stats` job (one at a time, in arrival order: the others wait as
    /// they would behind it in one go); its reply is sent when it is complete.
    func advanceStatsJobs() {
        guard let job = statsJobs.first else { return }
        guard let history else {
            statsJobs.removeFirst()
            server.complete(
                job.client,
                with: Reply.failure(id: job.id, error: ProtocolError(.unsupported, "the daemon keeps no history")))
            return
        }
        guard job.advance(history), let reply = job.reply else { return }
        statsJobs.removeFirst()
        server.complete(job.client, with: reply)
        if statsJobs.isEmpty {
            // A long range ran code and read store pages a waiting daemon does not use (reading,
            // computing, the JSON of ~200 KiB): the heap and the mapped pages go back, as after
            // start-up (docs/design.md §7).
            malloc_trim(0)
            _ = try? ProcessMemory.releaseReadOnlyPages()
        }
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
