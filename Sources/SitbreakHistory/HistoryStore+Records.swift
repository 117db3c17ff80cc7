import SitbreakEngine

/// One stored event: its columns (the JSON line is the event exactly as emitted).
public struct StoredEvent: Hashable, Sendable {
    /// When it happened.
    public var time: Timestamp
    /// Its `event` field.
    public var type: String
    /// The kind it is about, if any.
    public var kind: String?
    /// The event's JSON line (``Event/jsonLine``).
    public var json: String

    /// Creates a stored event's columns.
    public init(time: Timestamp, type: String, kind: String?, json: String) {
        self.time = time
        self.type = type
        self.kind = kind
        self.json = json
    }
}

/// One stored stretch of sitting: from `start` to `end`, or still going on (nil).
public struct SittingSpan: Hashable, Sendable {
    /// When sitting started.
    public var start: Timestamp
    /// When the absence that ended it began; nil while it goes on.
    public var end: Timestamp?

    /// Creates a span.
    public init(start: Timestamp, end: Timestamp?) {
        self.start = start
        self.end = end
    }
}

extension HistoryStore {
    /// Appends one batch of the event loop in one transaction: `events` and the presence changes
    /// the engine recorded with them (a `sitting` opens a span, an `absent` closes the open one at
    /// its back-dated start). All or nothing: a failure leaves the file as it was.
    public func append(events: [Event], changes: [PresenceChange]) throws(HistoryError) {
        guard !events.isEmpty || !changes.isEmpty else { return }
        let connection = connection
        let typed = hasTypedColumns
        try connection.transaction { () throws(HistoryError) in
            for event in events {
                var parameters: [Connection.Parameter] = [
                    .integer(event.time.secondsSinceEpoch), .text(event.name),
                    event.body.kind.map { .text($0) } ?? .null,
                    .text(event.jsonLine),
                ]
                guard typed else {
                    try connection.query("INSERT INTO events (time, type, kind, json) VALUES (?, ?, ?, ?)", parameters)
                    continue
                }
                var covers = Connection.Parameter.null
                var natural = Connection.Parameter.null
                var manual = Connection.Parameter.null
                var away = Connection.Parameter.null
                switch event.body {
                case .reminder(let reminder): covers = .text(reminder.covers.joined(separator: " "))
                case .breakTaken(_, let isNatural, let isManual, let awaySeconds):
                    natural = .integer(isNatural ? 1 : 0)
                    manual = .integer(isManual ? 1 : 0)
                    away = .integer(awaySeconds)
                default: break
                }
                parameters += [covers, natural, manual, away]
                try connection.query(
                    "INSERT INTO events (time, type, kind, json, covers, natural, manual, away_s) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", parameters)
            }
            for change in changes {
                switch change {
                case .sitting(let since):
                    // One open span at most, as the engine has one stretch of presence at most.
                    try connection.query(
                        "INSERT INTO spans (start, end) SELECT ?, NULL WHERE NOT EXISTS (SELECT 1 FROM spans WHERE end IS NULL)",
                        [.integer(since.secondsSinceEpoch)])
                case .absent(let since, _):
                    try connection.query(
                        "UPDATE spans SET end = max(start, ?) WHERE end IS NULL", [.integer(since.secondsSinceEpoch)])
                }
            }
        }
    }

    /// Deletes events before `cutoff` and spans that ended by it (retention, `[history] keep`);
    /// returns how many rows went.
    @discardableResult
    public func prune(before cutoff: Timestamp) throws(HistoryError) -> Int {
        let connection = connection
        var removed: Int64 = 0
        try connection.transaction { () throws(HistoryError) in
            let t = Connection.Parameter.integer(cutoff.secondsSinceEpoch)
            removed += try connection.integer("SELECT count(*) FROM events WHERE time < ?", [t])
            removed += try connection.integer("SELECT count(*) FROM spans WHERE end IS NOT NULL AND end <= ?", [t])
            try connection.query("DELETE FROM events WHERE time < ?", [t])
            try connection.query("DELETE FROM spans WHERE end IS NOT NULL AND end <= ?", [t])
        }
        return Int(removed)
    }

    /// Prunes what is older than `keep` seconds before `now`, at most once a day (the last
    /// pruning is remembered in the file); nil `keep` keeps everything. Returns whether it pruned.
    @discardableResult
    public func pruneIfDue(keep: Seconds?, now: Timestamp) throws(HistoryError) -> Bool {
        guard let keep else { return false }
        let connection = connection
        let last = try connection.integer("SELECT value FROM meta WHERE key = 'last_prune'")
        guard last == 0 || now.secondsSinceEpoch - last >= 86400 || now.secondsSinceEpoch < last else { return false }
        try prune(before: now - keep)
        try connection.query(
            "INSERT INTO meta (key, value) VALUES ('last_prune', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [.integer(now.secondsSinceEpoch)])
        return true
    }

    /// The events with `from <= time < to`, oldest first (in the order they were appended).
    public func events(from: Timestamp, to: Timestamp) throws(HistoryError) -> [StoredEvent] {
        var result: [StoredEvent] = []
        try connection.query(
            "SELECT time, type, kind, json FROM events WHERE time >= ? AND time < ? ORDER BY time, id",
            [.integer(from.secondsSinceEpoch), .integer(to.secondsSinceEpoch)]
        ) { row in
            result.append(
                StoredEvent(
                    time: Timestamp(secondsSinceEpoch: row.integer(0) ?? 0), type: row.text(1) ?? "", kind: row.text(2),
                    json: row.text(3) ?? ""))
        }
        return result
    }

    /// The sitting spans that overlap `from ..< to` (an open one counts as going on), oldest first.
    public func spans(from: Timestamp, to: Timestamp) throws(HistoryError) -> [SittingSpan] {
        var result: [SittingSpan] = []
        try connection.query(
            "SELECT start, end FROM spans WHERE start < ? AND (end IS NULL OR end > ?) ORDER BY start",
            [.integer(to.secondsSinceEpoch), .integer(from.secondsSinceEpoch)]
        ) { row in
            result.append(
                SittingSpan(
                    start: Timestamp(secondsSinceEpoch: row.integer(0) ?? 0),
                    end: row.integer(1).map { Timestamp(secondsSinceEpoch: $0) }))
        }
        return result
    }

    /// The earliest instant the store holds (event or span), if any.
    public func firstInstant() throws(HistoryError) -> Timestamp? {
        var first: Int64?
        try connection.query(
            "SELECT min(m) FROM (SELECT min(time) AS m FROM events UNION ALL SELECT min(start) FROM spans)"
        ) {
            row in first = row.integer(0)
        }
        return first.map { Timestamp(secondsSinceEpoch: $0) }
    }

    /// How many events and spans the store holds.
    public func counts() throws(HistoryError) -> (events: Int, spans: Int) {
        (
            Int(try connection.integer("SELECT count(*) FROM events")),
            Int(try connection.integer("SELECT count(*) FROM spans"))
        )
    }
}
