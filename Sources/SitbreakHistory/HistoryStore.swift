import CSQLite
import Glibc
import SitbreakEngine

/// The history store: every engine event and the sitting spans, in one SQLite file
/// (`$XDG_STATE_HOME/sitbreak/history.sqlite3`, docs/statistics.md §5).
///
/// It owns the `sqlite3` handle and closes it when released. The file is created with mode 0600
/// and never through a symbolic link; it is kept in WAL mode, so a process killed at any moment
/// loses no committed transaction and leaves a consistent file. A damaged file is moved aside
/// (``setAside``) and a new one started; a file of a newer schema is refused, never touched.
/// SQLite's page cache is kept small: the daemon's idle budget is 10 MiB RSS.
public final class HistoryStore {
    /// Whether the store may be written.
    public enum Access: Sendable {
        /// The daemon's: creates the file if needed, migrates it, sets a damaged one aside.
        case readWrite
        /// `sitbreakctl stats` with the daemon stopped: changes nothing, fails on a damaged file.
        case readOnly
    }

    /// The file.
    public let path: String
    /// How it was opened.
    public let access: Access
    /// Where a damaged file was moved when this store started a new one; nil normally.
    public private(set) var setAside: String?

    /// The connection; nil only after a failed open (never seen outside the initializer).
    let db: OpaquePointer
    /// Whether the file has the statistics' typed columns (version 3 on; a read-only open of an
    /// older file reads the JSON lines instead).
    let hasTypedColumns: Bool

    /// `PRAGMA application_id`: "sbrk", so a stranger's database is never taken for ours.
    public static let applicationID: Int32 = 0x7362_726B
    /// The schema version this build writes (`PRAGMA user_version`); see ``migrations``.
    public static var schemaVersion: Int { migrations.count }
    /// Page cache per connection, in KiB (SQLite's negative `cache_size`).
    static let cacheKiB = 256
    /// A soft ceiling on all of SQLite's heap in the process.
    static let softHeapLimit: Int64 = 2 << 20

    /// Opens (and for ``Access/readWrite`` creates, migrates or replaces when damaged) the store
    /// at `path`. `now` names a damaged file set aside (`history.sqlite3.corrupt-20261130T090000Z`).
    public convenience init(path: String, access: Access = .readWrite, now: Timestamp) throws(HistoryError) {
        try self.init(path: path, access: access, now: now, migratingTo: Self.migrations.count)
    }

    /// Opens the store, migrating a writable one only up to `version` (tests build old files so).
    package init(path: String, access: Access, now: Timestamp, migratingTo version: Int) throws(HistoryError) {
        self.path = path
        self.access = access
        sqlite3_soft_heap_limit64(Self.softHeapLimit)
        var opened: OpaquePointer
        do {
            opened = try Self.openChecked(path: path, access: access, migratingTo: version)
        } catch let error where error.code == .corrupt && access == .readWrite {
            let aside = path + ".corrupt-" + Self.fileStamp(now)
            guard rename(path, aside) == 0 else {
                throw HistoryError(.corrupt, path: path, "damaged, and could not be moved aside: \(Self.errnoText())")
            }
            // The journal files belong to the damaged file; a new file must not replay them.
            for suffix in ["-wal", "-shm"] { _ = rename(path + suffix, aside + suffix) }
            setAside = aside
            opened = try Self.openChecked(path: path, access: access, migratingTo: version)
        }
        db = opened
        let found = (try? Connection(db: opened, path: path).integer("PRAGMA user_version")) ?? 0
        hasTypedColumns = found >= Int64(Self.typedColumnsVersion)
    }

    deinit {
        sqlite3_close_v2(db)
    }

    /// Opens, configures and checks the file; closes the connection on failure.
    private static func openChecked(path: String, access: Access, migratingTo version: Int) throws(HistoryError)
        -> OpaquePointer
    {
        let flags: Int32
        switch access {
        case .readWrite:
            try createPrivately(path: path)
            flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX
        case .readOnly:
            guard Glibc.access(path, F_OK) == 0 else {
                throw HistoryError(.missing, path: path, "no history yet (the daemon writes it while it runs)")
            }
            flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX
        }
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard let handle else { throw HistoryError(.cannotOpen, path: path, "cannot open: out of memory") }
        do throws(HistoryError) {
            guard rc == SQLITE_OK else { throw error(handle, rc, path: path, doing: "cannot open") }
            sqlite3_extended_result_codes(handle, 1)
            try configure(handle, path: path, access: access, migratingTo: version)
            return handle
        } catch {
            sqlite3_close_v2(handle)
            throw error
        }
    }

    /// Creates the file with mode 0600 unless it exists, refusing a symbolic link; narrows the
    /// mode of an existing one to 0600 (history is personal).
    private static func createPrivately(path: String) throws(HistoryError) {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "is a symbolic link; refusing to write through it" : errnoText()
            throw HistoryError(.cannotOpen, path: path, "cannot open for writing: \(reason)")
        }
        defer { close(fd) }
        var status = stat()
        if fstat(fd, &status) == 0 && status.st_mode & 0o7777 != 0o600 { _ = fchmod(fd, 0o600) }
    }

    /// WAL, a small cache, the schema checks and migrations; a damaged file is found here.
    private static func configure(_ db: OpaquePointer, path: String, access: Access, migratingTo version: Int)
        throws(HistoryError)
    {
        var connection = Connection(db: db, path: path)
        try connection.execute("PRAGMA cache_size = -\(cacheKiB)")
        // A checkpoint at 100 pages keeps the WAL (and the memory mapping its index needs) small.
        try connection.execute("PRAGMA wal_autocheckpoint = 100")
        let appID = try connection.integer("PRAGMA application_id")
        let found = try connection.integer("PRAGMA user_version")
        if appID != 0 && appID != Int64(applicationID) {
            throw HistoryError(
                .notHistory, path: path, "is an SQLite database, but not sitbreak's history; not touching it")
        }
        if found > Int64(migrations.count) {
            throw HistoryError(
                .newerSchema, path: path,
                "written by a newer sitbreak (schema version \(found); this one knows up to \(migrations.count)); "
                    + "not touching it: update sitbreak, or move the file away to start a new history")
        }
        if found > 0 {
            let check = try connection.text("PRAGMA quick_check")
            if check != "ok" { throw HistoryError(.corrupt, path: path, "damaged: \(check ?? "no answer")") }
        }
        guard access == .readWrite else {
            if found == 0 { throw HistoryError(.missing, path: path, "no history yet (an empty file)") }
            return
        }
        let mode = try connection.text("PRAGMA journal_mode = WAL")
        guard mode == "wal" else {
            throw HistoryError(.cannotOpen, path: path, "cannot switch to WAL mode (journal_mode is \(mode ?? "?"))")
        }
        // FULL: a commit is on disk before the daemon replies; WAL makes that one append and sync.
        try connection.execute("PRAGMA synchronous = FULL")
        try migrate(&connection, from: Int(found), to: version)
    }

    /// `20261130T090000Z`: an instant usable in a file name.
    static func fileStamp(_ time: Timestamp) -> String {
        String(time.rfc3339.filter { $0 != "-" && $0 != ":" })
    }

    /// The C library's message for `errno`.
    static func errnoText() -> String {
        String(cString: strerror(errno))
    }

    /// The error for SQLite result `rc` on `db`, with SQLite's message.
    static func error(_ db: OpaquePointer, _ rc: Int32, path: String, doing action: String) -> HistoryError {
        let message = String(cString: sqlite3_errmsg(db))
        let code: HistoryError.Code
        switch rc & 0xff {
        case SQLITE_CORRUPT, SQLITE_NOTADB: code = .corrupt
        case SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR: code = .cannotWrite
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH: code = .cannotOpen
        default: code = .sqlite
        }
        return HistoryError(code, path: path, "\(action): \(message)")
    }
}
