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
    ]

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
