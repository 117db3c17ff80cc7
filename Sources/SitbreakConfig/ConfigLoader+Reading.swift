import Glibc

// Plain POSIX reads: Foundation would cost the daemon most of its memory budget (docs/design.md §7).
extension ConfigLoader {
    /// Files larger than this (1 MiB) are refused: no configuration comes close (the documented
    /// example is 5 KiB), reading an arbitrary large file by mistake should fail fast, and it
    /// bounds what parsing and every string in the file can cost the daemon.
    static let maximumFileSize = 1 << 20

    /// The error for a file over ``maximumFileSize``.
    static func tooLarge(file: String) -> ConfigError {
        ConfigError(
            file: file, line: nil, key: nil,
            message: "is larger than \(maximumFileSize / 1024) KiB; give the path of a configuration file "
                + "(a configuration needs a few KiB)")
    }

    /// Whether something exists at `path` (an unreadable file still exists: reading it must then
    /// fail loudly rather than fall back to the default).
    static func fileExists(path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 || errno != ENOENT
    }

    /// The file's text, checked to be UTF-8.
    static func readFile(path: String) throws(ConfigError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw openError(path: path, errno: errno) }
        defer { close(descriptor) }

        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw openError(path: path, errno: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ConfigError(
                file: path, line: nil, key: nil, message: "is a directory; give the path of a TOML file")
        }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw openError(path: path, errno: errno)
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > maximumFileSize { throw tooLarge(file: path) }
        }

        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(
                file: path, line: firstInvalidLine(bytes), key: nil,
                message: "not valid UTF-8; save the file as UTF-8")
        }
        return text
    }

    private static func openError(path: String, errno code: Int32) -> ConfigError {
        let message =
            switch code {
            case ENOENT: "no such file; check the path, or create the file (man sitbreak.toml documents every key)"
            case EACCES: "permission denied; make the file readable"
            default: "cannot read the file (\(String(cString: strerror(code)))); check the path"
            }
        return ConfigError(file: path, line: nil, key: nil, message: message)
    }

    /// The line of the first invalid UTF-8 sequence, found by checking line by line.
    private static func firstInvalidLine(_ bytes: [UInt8]) -> Int? {
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where String(validating: line, as: UTF8.self) == nil {
            return index + 1
        }
        return nil
    }
}
