import CSQLite

/// Statements on a connection that ``HistoryStore`` owns: a borrowed view (it closes nothing),
/// where every SQLite result code becomes a ``HistoryError`` with SQLite's message.
struct Connection {
    /// The handle, owned by the store.
    let db: OpaquePointer
    /// The file, for error messages.
    let path: String

    /// A value to bind to a `?` parameter.
    enum Parameter {
        case integer(Int64)
        case text(String)
        case null
    }

    /// Runs SQL without parameters (several statements allowed).
    func execute(_ sql: String) throws(HistoryError) {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else {
            throw HistoryStore.error(db, rc, path: path, doing: "cannot run \(sql.prefix(40))")
        }
    }

    /// Runs one statement with `parameters`, calling `row` for each result row.
    func query(
        _ sql: String, _ parameters: [Parameter] = [], row: (Row) throws(HistoryError) -> Void = { _ in }
    ) throws(HistoryError) {
        var statement: OpaquePointer?
        var rc = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw HistoryStore.error(db, rc, path: path, doing: "cannot prepare \(sql.prefix(40))")
        }
        defer { sqlite3_finalize(statement) }
        for (i, parameter) in parameters.enumerated() {
            let index = Int32(i + 1)
            switch parameter {
            case .integer(let n): rc = sqlite3_bind_int64(statement, index, n)
            case .text(let s): rc = sqlite3_bind_text(statement, index, s, -1, csqlite_transient())
            case .null: rc = sqlite3_bind_null(statement, index)
            }
            guard rc == SQLITE_OK else { throw HistoryStore.error(db, rc, path: path, doing: "cannot bind") }
        }
        while true {
            rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else {
                throw HistoryStore.error(db, rc, path: path, doing: "cannot run \(sql.prefix(40))")
            }
            try row(Row(statement: statement))
        }
    }

    /// The first column of the first row as an integer (0 when there is none or it is NULL).
    func integer(_ sql: String, _ parameters: [Parameter] = []) throws(HistoryError) -> Int64 {
        var value: Int64 = 0
        var seen = false
        try query(sql, parameters) { row in
            if !seen { value = row.integer(0) ?? 0 }
            seen = true
        }
        return value
    }

    /// The first column of the first row as text.
    func text(_ sql: String) throws(HistoryError) -> String? {
        var value: String?
        try query(sql) { row in if value == nil { value = row.text(0) } }
        return value
    }

    /// Runs `body` in one transaction (`BEGIN IMMEDIATE`: the write lock is taken at once), rolled
    /// back if it throws.
    func transaction(_ body: () throws(HistoryError) -> Void) throws(HistoryError) {
        try execute("BEGIN IMMEDIATE")
        do {
            try body()
            try execute("COMMIT")
        } catch {
            _ = sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    /// One result row, valid only inside the `row` callback.
    struct Row {
        let statement: OpaquePointer

        /// Column `i` as an integer; nil when NULL.
        func integer(_ i: Int32) -> Int64? {
            sqlite3_column_type(statement, i) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, i)
        }

        /// Column `i` as text; nil when NULL.
        func text(_ i: Int32) -> String? {
            guard let bytes = sqlite3_column_text(statement, i) else { return nil }
            return String(cString: bytes)
        }
    }
}

extension HistoryStore {
    /// The store's connection, for statements.
    var connection: Connection { Connection(db: db, path: path) }
}
