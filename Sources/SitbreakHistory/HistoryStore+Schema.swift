extension HistoryStore {
    /// The schema, one step per version: `migrations[n]` takes a file from version `n` to `n + 1`.
    /// A released step never changes; a new schema is a new step.
    static let migrations: [String] = [
        // 1: events as the engine emitted them, and the sitting spans (docs/statistics.md §1).
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            type TEXT NOT NULL,
            kind TEXT,
            json TEXT NOT NULL
        );
        CREATE INDEX events_time ON events (time);
        CREATE TABLE spans (
            start INTEGER NOT NULL,
            end INTEGER CHECK (end IS NULL OR end >= start)
        );
        CREATE INDEX spans_start ON spans (start);
        PRAGMA application_id = \(applicationID);
        """,
        // 2: small facts about the store itself (when it was last pruned).
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """,
        // 3: what the day statistics read, in columns, so a year is counted without parsing 20,000
        // JSON lines (1.4 s in a debug build): the kinds a reminder covers (space-separated; kind
        // names have no spaces), and a break's natural, manual and away_s. Existing rows are
        // filled from their JSON.
        """
        ALTER TABLE events ADD COLUMN covers TEXT;
        ALTER TABLE events ADD COLUMN natural INTEGER;
        ALTER TABLE events ADD COLUMN manual INTEGER;
        ALTER TABLE events ADD COLUMN away_s INTEGER;
        UPDATE events SET covers = (SELECT group_concat(value, ' ') FROM json_each(events.json, '$.covers'))
            WHERE type = 'reminder';
        UPDATE events SET natural = json_extract(json, '$.natural'), manual = json_extract(json, '$.manual'),
            away_s = json_extract(json, '$.away_s') WHERE type = 'break_taken';
        """,
    ]

    /// The first version with the statistics' columns (``migrations`` step 3).
    static let typedColumnsVersion = 3

    /// Applies the steps from `found` up to `target`, each in its own transaction with its version.
    static func migrate(_ connection: inout Connection, from found: Int, to target: Int) throws(HistoryError) {
        guard found < target else { return }
        for version in found..<target {
            try connection.transaction { () throws(HistoryError) in
                try connection.execute(migrations[version])
                try connection.execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }

    /// The file's schema version.
    public func schemaVersionInFile() throws(HistoryError) -> Int {
        Int(try connection.integer("PRAGMA user_version"))
    }
}
