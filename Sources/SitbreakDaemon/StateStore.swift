import Glibc
import SitbreakEngine
import SitbreakProtocol
import SitbreakSystem

/// The engine's state on disk: `state.json` in the state directory, replaced atomically
/// (written to a temporary file, flushed, renamed over the old one, directory flushed), so a
/// crash or `kill -9` at any moment leaves either the old or the new state, never half of one.
///
/// Nothing here follows a symbolic link or blocks on a special file: `state.json` must be a
/// regular file (a FIFO or a link there is set aside, not opened), the temporary file is created
/// afresh with `O_EXCL|O_NOFOLLOW` (a link planted there is removed, its target untouched), and
/// the heartbeat is opened with `O_NOFOLLOW`.
struct StateStore {
    /// The directory (created 0700 when missing).
    let directory: String
    var path: String { directory + "/state.json" }
    /// The largest state file read; a real one is a few kilobytes even with 64 kinds.
    static let maximumFileSize = 1 << 20

    /// Creates the directory if needed and checks that it is safe: a directory of this user
    /// that no one else may write to.
    init(directory: String) throws(DaemonError) {
        self.directory = directory
        try Self.makeDirectories(directory)
        try Self.checkOwnership(directory)
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

    /// Refuses a state directory that is not a directory, belongs to another user, or that the
    /// group or others may write to: whoever can write there can replace the state.
    static func checkOwnership(_ path: String) throws(DaemonError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .system(.errno("stat \(path)")) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .setup("the state directory \(path) is not a directory")
        }
        guard info.st_uid == geteuid() else {
            throw .setup(
                "the state directory \(path) belongs to user \(info.st_uid), not to this user (\(geteuid())); "
                    + "remove it or give --state-dir DIR")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw .setup(
                "the state directory \(path) is writable by others (mode 0\(String(info.st_mode & 0o777, radix: 8))); "
                    + "chmod 0700 it")
        }
    }

    /// The saved state, nil when there is none. A file that cannot be read as a state file
    /// (not a regular file, too large, not JSON, a value out of range) is renamed to
    /// `state.json.corrupt` for inspection and reported through `corrupt` with the reason, so
    /// the next start does not meet it again.
    func load(corrupt: (_ kept: String, _ reason: String) -> Void) -> SavedState? {
        let reason: String
        switch read() {
        case .none: return nil
        case .some(.failure(let error)): reason = error.description
        case .some(.success(let bytes)):
            switch (try? JSONParser.parse(bytes: bytes)).map(SavedState.decode) {
            case .success(let state): return state
            case .failure(let error): reason = error.description
            case nil: reason = "it is not JSON"
            }
        }
        let kept = path + ".corrupt"
        if rename(path, kept) != 0 {
            corrupt(path, reason + "; it could not be renamed (\(SystemError.errno("rename")))")
        } else {
            corrupt(kept, reason)
        }
        return nil
    }

    /// The file's bytes; nil when there is no file.
    private func read() -> Result<[UInt8], StateFileError>? {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            return .failure(StateFileError(SystemError.errno("open").description))
        }
        let file = FileDescriptor(fd)
        var info = stat()
        guard fstat(file.rawValue, &info) == 0 else { return .failure(StateFileError("fstat failed")) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(StateFileError("it is not a regular file")) }
        guard info.st_size <= Self.maximumFileSize else {
            return .failure(StateFileError("it holds \(info.st_size) bytes, more than \(Self.maximumFileSize)"))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while bytes.count <= Self.maximumFileSize {
            let n = Glibc.read(file.rawValue, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(StateFileError(SystemError.errno("read").description)) }
            if n == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return .failure(StateFileError("it holds more than \(Self.maximumFileSize) bytes"))
    }

    /// Writes `state` atomically and durably. A state directory deleted while the daemon runs is
    /// created again.
    func save(_ state: SavedState) throws(DaemonError) {
        let temporary = path + ".tmp"
        let text = state.json.serialized + "\n"
        var file: FileDescriptor
        do {
            file = try createTemporary(temporary)
        } catch  where error.code == ENOENT {
            try Self.makeDirectories(directory)
            do { file = try createTemporary(temporary) } catch { throw .system(error) }
        } catch {
            throw .system(error)
        }
        let failure: SystemError? =
            text.utf8.withContiguousStorageIfAvailable { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = write(file.rawValue, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return SystemError.errno("write \(temporary)") }
                    offset += n
                }
                return fsync(file.rawValue) == 0 ? nil : SystemError.errno("fsync \(temporary)")
            } ?? nil
        file.close()
        if let failure {
            unlink(temporary)
            throw .system(failure)
        }
        guard rename(temporary, path) == 0 else { throw .system(.errno("rename \(temporary)")) }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// A new, empty temporary file. Whatever is at its path (a file left by a crash, or a link
    /// someone planted) is removed first, and `O_EXCL|O_NOFOLLOW` refuses anything that
    /// appears there in between: no write ever goes through a link.
    private func createTemporary(_ temporary: String) throws(SystemError) -> FileDescriptor {
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .errno("open \(temporary)") }
        return FileDescriptor(fd)
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

    /// Opens (creating) the heartbeat file for ``beat(_:into:)``. A link or anything but a
    /// regular file there is refused (the reason is returned), so a planted link's target is
    /// never written.
    func openHeartbeat() -> Result<FileDescriptor, SystemError> {
        let fd = open(heartbeatPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return .failure(.errno("open \(heartbeatPath)")) }
        let file = FileDescriptor(fd)
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return .failure(SystemError("\(heartbeatPath) is not a regular file", code: EINVAL))
        }
        return .success(file)
    }

    /// The last heartbeat, if any (read without following a link or blocking on a FIFO).
    func lastBeat() -> Timestamp? {
        let fd = open(heartbeatPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let file = FileDescriptor(fd)
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = Glibc.read(file.rawValue, &buffer, buffer.count)
        guard n > 0,
            let seconds = Int64(String(decoding: buffer[0..<n].filter { $0 != 0x20 && $0 != 0x0A }, as: UTF8.self))
        else { return nil }
        let time = Timestamp(secondsSinceEpoch: seconds)
        return EngineSnapshot.instants.contains(time) ? time : nil
    }
}
