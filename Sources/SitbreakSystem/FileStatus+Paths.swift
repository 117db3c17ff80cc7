import Glibc

// What `sitbreakctl doctor` and its hints ask of the file system, in plain glibc: Foundation's
// FileManager would link ICU's data into the command-line tool.
extension FileStatus {
    /// Whether the calling process may execute `path` (`access(X_OK)`).
    public static func isExecutable(_ path: String) -> Bool {
        access(path, X_OK) == 0
    }

    /// What the symbolic link `path` points to, as written in the link; nil when `path` is not a
    /// symbolic link or cannot be read.
    public static func symbolicLinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in the directory `path` (without `.` and `..`), in the directory's order; empty
    /// when it cannot be read.
    public static func entries(ofDirectory path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
