import Glibc
import SitbreakEngine
import SitbreakProtocol
import SitbreakSystem

/// The engine's state on disk: `state.json` in the state directory, replaced atomically
/// (written to a temporary file, flushed, renamed over the old one, directory flushed), so a
/// crash or `kill -9` at any moment leaves either the old or the new state, never half of one.
struct StateStore {
    /// The directory (created 0700 when missing).
    let directory: String
    var path: String { directory + "/state.json" }

    /// Creates the directory if needed.
    init(directory: String) throws(DaemonError) {
        self.directory = directory
        try Self.makeDirectories(directory)
    }

    /// Creates `path` and its parents with mode 0700.
    static func makeDirectories(_ path: String) throws(DaemonError) {
        var current = ""
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw .system(.errno("mkdir \(current)"))
            }
        }
    }

    /// The saved snapshot, nil when there is none. A file that cannot be read as a snapshot is
    /// kept beside as `state.json.corrupt` for inspection and reported through `corrupt`.
    func load(corrupt: (String) -> Void) -> EngineSnapshot? {
        guard let bytes = readAll(path) else { return nil }
        if let value = try? JSONParser.parse(bytes: bytes), let snapshot = EngineSnapshot(json: value) {
            return snapshot
        }
        rename(path, path + ".corrupt")
        corrupt(path + ".corrupt")
        return nil
    }

    /// Writes `snapshot` atomically and durably.
    func save(_ snapshot: EngineSnapshot) throws(DaemonError) {
        let temporary = path + ".tmp"
        let text = snapshot.json.serialized + "\n"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system(.errno("open \(temporary)")) }
        let written = text.utf8.withContiguousStorageIfAvailable { buffer in
            write(fd, buffer.baseAddress, buffer.count)
        }
        let expected = text.utf8.count
        if written != expected || fsync(fd) != 0 {
            let error = SystemError.errno("write \(temporary)")
            close(fd)
            throw .system(error)
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw .system(.errno("rename \(temporary)")) }
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// The heartbeat file: the last instant the daemon was known to run, rewritten in place.
    var heartbeatPath: String { directory + "/alive" }

    /// Records that the daemon runs at `time`. A fixed-width overwrite of an open file's first
    /// bytes: no truncation, rename or flush, so it neither blocks nor wakes the process twice
    /// (rewriting state.json every ping measured 3–4 extra context switches on ext4).
    func beat(_ time: Timestamp, into fd: Int32) {
        var text = String(time.secondsSinceEpoch)
        text = String(repeating: " ", count: max(0, 20 - text.utf8.count)) + text + "\n"
        _ = text.utf8.withContiguousStorageIfAvailable { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Opens (creating) the heartbeat file for ``beat(_:into:)``; nil if that fails.
    func openHeartbeat() -> FileDescriptor? {
        let fd = open(heartbeatPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        return fd >= 0 ? FileDescriptor(fd) : nil
    }

    /// The last heartbeat, if any.
    func lastBeat() -> Timestamp? {
        guard let bytes = readAll(heartbeatPath),
            let seconds = Int64(String(decoding: bytes.filter { $0 != 0x20 && $0 != 0x0A }, as: UTF8.self))
        else { return nil }
        return Timestamp(secondsSinceEpoch: seconds)
    }

    private func readAll(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
