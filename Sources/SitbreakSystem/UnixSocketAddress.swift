import Glibc

/// The address of a Unix socket with a path (`sockaddr_un`), for `bind`, `connect` and `sendto`.
public struct UnixSocketAddress: Sendable {
    /// The socket's path.
    public let path: String
    private var storage = sockaddr_un()

    /// The address of `path`. Throws `ENAMETOOLONG` for a path that does not fit `sun_path`
    /// (107 bytes on Linux) and `EINVAL` for an empty one.
    public init(_ path: String) throws(SystemError) {
        self.path = path
        storage.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: storage.sun_path)
        guard !path.utf8.isEmpty else { throw SystemError("socket path \"\"", code: EINVAL) }
        guard path.utf8.count < capacity else { throw SystemError("socket path \(path)", code: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
    }

    /// Calls `body` with the address as the socket calls take it.
    public func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// `connect(fd, self)`: 0, or -1 with `errno` set.
    public func connect(_ fd: Int32) -> Int32 {
        withSocketAddress { Glibc.connect(fd, $0, $1) }
    }

    /// `bind(fd, self)`: 0, or -1 with `errno` set.
    public func bind(_ fd: Int32) -> Int32 {
        withSocketAddress { Glibc.bind(fd, $0, $1) }
    }
}
