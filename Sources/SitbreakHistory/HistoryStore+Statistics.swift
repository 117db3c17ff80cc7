import SitbreakEngine
import SitbreakProtocol
import SitbreakStats

extension HistoryStore {
    /// The day statistics of the local days `first` through `last`, recomputed from the stored
    /// events and spans exactly as they were computed live (docs/statistics.md §5).
    ///
    /// A span still open counts up to `now`; days after the one containing `now` are not listed.
    /// Events of the two days before `first` are read too, only to know when each kind's series
    /// began (the lateness of a break taken early on `first`).
    public func statistics(
        days: LocalDays, kindNames: [String], first: CivilDate, last: CivilDate, now: Timestamp
    ) throws(HistoryError) -> [DayStatistics] {
        let from = days.day(startingOn: first).start
        let until = min(days.day(startingOn: last).end, now)
        guard until > from else { return [] }
        var accumulator = DayStatisticsAccumulator(days: days, kindNames: kindNames, start: from)
        for event in try countedEvents(from: from - 2 * 86400, to: from) { accumulator.prime(with: event) }
        var changes: [(Timestamp, PresenceChange)] = []
        for span in try spans(from: from, to: until) {
            changes.append((span.start, .sitting(since: max(span.start, from))))
            if let end = span.end { changes.append((end, .absent(since: end, learnedAt: end))) }
        }
        let stored = try countedEvents(from: from, to: until)
        // Events and changes in time order: the accumulator does not need it, but hands out days sooner.
        var c = 0
        for event in stored {
            while c < changes.count && changes[c].0 <= event.time {
                accumulator.record(changes[c].1)
                c += 1
            }
            accumulator.record(event)
        }
        for (_, change) in changes[c...] { accumulator.record(change) }
        return accumulator.finish(at: until)
    }
}

extension HistoryStore {
    /// The events with `from <= time < to` that the day statistics count, oldest first, with what
    /// they count: from the typed columns (version 3), else from the JSON lines. Texts the
    /// statistics do not read (messages) are left empty.
    func countedEvents(from: Timestamp, to: Timestamp) throws(HistoryError) -> [Event] {
        guard hasTypedColumns else { return try events(from: from, to: to).compactMap(\.event) }
        var result: [Event] = []
        try connection.query(
            "SELECT time, type, kind, covers, natural, manual, away_s FROM events WHERE time >= ? AND time < ? "
                + "AND type IN ('reminder', 'break_taken', 'snoozed', 'skipped', 'daily_limit') ORDER BY time, id",
            [.integer(from.secondsSinceEpoch), .integer(to.secondsSinceEpoch)]
        ) { row in
            let time = Timestamp(secondsSinceEpoch: row.integer(0) ?? 0)
            let kind = row.text(2) ?? ""
            let body: Event.Body
            switch row.text(1) {
            case "reminder":
                let covers = (row.text(3) ?? "").split(separator: " ").map(String.init)
                body = .reminder(
                    Event.Reminder(kind: kind, nag: 0, sittingSeconds: 0, covers: covers, message: "", suggestion: ""))
            case "break_taken":
                body = .breakTaken(
                    kind: kind, natural: row.integer(4) == 1, manual: row.integer(5) == 1,
                    awaySeconds: row.integer(6) ?? 0)
            case "snoozed": body = .snoozed(kind: kind, until: time)
            case "skipped": body = .skipped(kind: kind)
            default: body = .dailyLimit(sittingSeconds: 0)
            }
            result.append(Event(time: time, body: body))
        }
        return result
    }
}

extension StoredEvent {
    /// The event again, from its JSON line, as far as the statistics need it; nil for a type they
    /// do not count (`refused`) or a line that does not parse.
    public var event: Event? {
        guard let value = try? JSONParser.parse(json) else { return nil }
        func string(_ key: String) -> String? { value[key]?.stringValue }
        func integer(_ key: String) -> Int64? { value[key]?.integerValue }
        func flag(_ key: String) -> Bool? { value[key]?.boolValue }
        func instant(_ key: String) -> Timestamp? { string(key).flatMap { Timestamp(rfc3339: $0) } }
        let body: Event.Body
        switch EventType(name: type) {
        case .reminder:
            guard let kind = string("kind") else { return nil }
            body = .reminder(
                Event.Reminder(
                    kind: kind, nag: Int(integer("nag") ?? 0), sittingSeconds: integer("sitting_s") ?? 0,
                    covers: (value["covers"]?.arrayValue ?? []).compactMap(\.stringValue),
                    message: string("message") ?? "", suggestion: string("suggestion") ?? ""))
        case .breakTaken:
            guard let kind = string("kind") else { return nil }
            body = .breakTaken(
                kind: kind, natural: flag("natural") ?? false, manual: flag("manual") ?? false,
                awaySeconds: integer("away_s") ?? 0)
        case .snoozed:
            guard let kind = string("kind"), let until = instant("until") else { return nil }
            body = .snoozed(kind: kind, until: until)
        case .skipped:
            guard let kind = string("kind") else { return nil }
            body = .skipped(kind: kind)
        case .paused:
            guard let until = instant("until") else { return nil }
            body = .paused(until: until)
        case .resumed: body = .resumed
        case .dailyLimit: body = .dailyLimit(sittingSeconds: integer("sitting_s") ?? 0)
        case .away:
            guard let since = instant("since") else { return nil }
            body = .away(since: since)
        case .back: body = .back(awaySeconds: integer("away_s") ?? 0)
        case .refused, nil: return nil
        }
        return Event(time: time, body: body)
    }
}
