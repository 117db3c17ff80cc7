import Glibc
import SitbreakProtocol
import SitbreakSystem

/// A connection to sitbreakd's control socket (docs/protocol.md), for `sitbreakctl` and scripts.
///
/// Plain glibc sockets and `poll`, no Foundation: the client is small and its timeouts are
/// explicit. One request at a time: ``call(_:timeout:)`` sends a request and waits for its reply;
/// after ``subscribe(timeout:)`` the connection carries the event stream, read with
/// ``nextLine(timeout:interruptedBy:)``.
///
/// Not thread-safe: one connection belongs to one thread, like the file descriptor it owns.
public final class ControlClient {
    /// The socket's path.
    public let path: String
    /// The connected socket; nil once closed.
    private var connection: FileDescriptor?
    private var descriptor: Int32 { connection?.rawValue ?? -1 }
    private var buffer = LineBuffer()
    private var nextID: Int64 = 1

    /// How long ``call(_:timeout:)`` waits for a reply unless told otherwise: 5 s, far above the
    /// daemon's sub-millisecond replies, so only a hung daemon reaches it.
    public static let defaultTimeout = 5000

    /// The longest line accepted from the daemon. Its replies are a few KiB; the bound only keeps a
    /// wrong peer from filling memory.
    public static let maximumLineLength = 1 << 20

    /// The default socket path, `$XDG_RUNTIME_DIR/sitbreak/control.sock`.
    ///
    /// Throws ``ClientError/noRuntimeDirectory`` when `XDG_RUNTIME_DIR` is unset or not absolute.
    public static func defaultPath(
        environment: [String: String] = ProcessEnvironment.current()
    ) throws(ClientError) -> String {
        guard let path = ControlProtocol.defaultSocketPath(environment: environment) else {
            throw .noRuntimeDirectory
        }
        return path
    }

    /// Connects to the socket at `path`, waiting at most `timeout` milliseconds (a daemon whose
    /// listen backlog is full makes `connect` wait).
    ///
    /// Throws ``ClientError/notReachable(path:reason:)`` when nothing listens there.
    public init(path: String, timeout: Int = ControlClient.defaultTimeout) throws(ClientError) {
        self.path = path
        let address: UnixSocketAddress
        do {
            address = try UnixSocketAddress(path)
        } catch {
            throw .notReachable(path: path, reason: "a socket path must be 1 to 107 bytes long")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io("socket: \(SystemError.reason(errno))") }
        let connection = FileDescriptor(fd)
        // Linux bounds a blocking AF_UNIX connect by SO_SNDTIMEO; it also bounds each write.
        var limit = timeval(tv_sec: timeout / 1000, tv_usec: (timeout % 1000) * 1000)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let connected = address.connect(fd)
        if connected != 0 {
            let code = errno
            if code == EAGAIN || code == EINPROGRESS { throw .timeout(milliseconds: timeout) }
            throw .notReachable(path: path, reason: SystemError.reason(code))
        }
        self.connection = connection
    }

    /// Closes the connection; later calls fail with ``ClientError/closed``.
    public func close() {
        connection = nil
    }

    /// Sends `command` and returns the reply's `result`.
    ///
    /// An error reply throws ``ClientError/daemon(code:message:)``; so do the refusals the daemon
    /// sends on its own when it turns a connection away (`too-many-clients`, `permission-denied`,
    /// with a null `id`).
    @discardableResult
    public func call(_ command: Request.Command, timeout: Int = ControlClient.defaultTimeout) throws(ClientError)
        -> JSONValue
    {
        let id = JSONValue.integer(nextID)
        nextID += 1
        do {
            try send(Request(id: id, command: command))
        } catch .closed {
            // A daemon that turns the connection away writes its refusal and closes without
            // reading; that refusal is still waiting to be read and says more than EPIPE.
        }
        guard let line = try nextLine(timeout: timeout) else { throw .closed }
        let reply: ParsedReply
        do {
            reply = try ParsedReply.parse(line)
        } catch {
            throw .malformedReply("\(error.reason): \(Self.excerpt(line))")
        }
        switch reply.outcome {
        case .failure(let code, let message):
            guard reply.id == id || reply.id == .null else {
                throw .malformedReply("a reply to id \(reply.id.serialized), expected \(id.serialized)")
            }
            throw .daemon(code: code, message: message)
        case .success(let result):
            guard reply.id == id else {
                throw .malformedReply("a reply to id \(reply.id.serialized), expected \(id.serialized)")
            }
            return result
        }
    }

    /// Sends `subscribe`; from then on every line the daemon sends is an event (docs/protocol.md),
    /// read with ``nextLine(timeout:interruptedBy:)``.
    public func subscribe(timeout: Int = ControlClient.defaultTimeout) throws(ClientError) {
        let result = try call(.subscribe, timeout: timeout)
        guard result["subscribed"] == .bool(true) else {
            throw .malformedReply("subscribe answered \(Self.excerpt(Array(result.serialized.utf8)))")
        }
    }

    /// Writes `request` as one line. Throws ``ClientError/closed`` when the daemon has closed the
    /// connection.
    public func send(_ request: Request) throws(ClientError) {
        var bytes = Array(request.line.utf8)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            guard descriptor >= 0 else { throw .closed }
            // MSG_NOSIGNAL: a daemon that went away is an error to report, not a SIGPIPE that kills us.
            let written = bytes[offset...].withUnsafeBytes { raw in
                Glibc.send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EPIPE || code == ECONNRESET { throw .closed }
                if code == EAGAIN || code == EWOULDBLOCK { throw .timeout(milliseconds: Self.defaultTimeout) }
                throw .io("write: \(SystemError.reason(code))")
            }
            offset += written
        }
    }

    /// The next line from the daemon, without its line feed; nil at the end of the stream (the
    /// daemon closed the connection, or `interruptedBy` became readable).
    ///
    /// - Parameters:
    ///   - timeout: milliseconds to wait for a complete line, or nil to wait as long as it takes
    ///     (`watch`).
    ///   - interruptedBy: a descriptor (such as ``InterruptSignals/descriptor``) that ends the wait
    ///     when it becomes readable, so Ctrl-C ends a stream cleanly.
    public func nextLine(timeout: Int?, interruptedBy interrupt: Int32? = nil) throws(ClientError) -> [UInt8]? {
        let deadline = timeout.map { Self.monotonicMilliseconds() + $0 }
        while true {
            if let line = buffer.nextLine() { return line }
            guard buffer.pendingCount <= Self.maximumLineLength else {
                throw .malformedReply("a line longer than \(Self.maximumLineLength) bytes")
            }
            guard descriptor >= 0 else { throw .closed }
            var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            if let interrupt { fds.append(pollfd(fd: interrupt, events: Int16(POLLIN), revents: 0)) }
            let wait = deadline.map { Int32(clamping: max(0, $0 - Self.monotonicMilliseconds())) } ?? -1
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .io("poll: \(SystemError.reason(errno))")
            }
            if ready == 0 { throw .timeout(milliseconds: timeout ?? 0) }
            if fds.count > 1, fds[1].revents != 0 { return nil }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR || code == EAGAIN { continue }
                // The daemon closed with our request unread: Linux reports that as a reset once
                // everything it sent has been read, which is an end of stream like any other.
                if code == ECONNRESET { return finalLine() }
                throw .io("read: \(SystemError.reason(code))")
            }
            if count == 0 { return finalLine() }
            chunk.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// The socket's descriptor (-1 once closed), for a caller that waits on it in its own event
    /// loop and then reads with ``availableLines()``.
    public var fileDescriptor: Int32 { descriptor }

    /// The complete lines that can be read now without blocking (for a caller whose event loop
    /// found the descriptor readable), and whether the stream ended (the daemon closed it; the
    /// connection is then closed, and an unterminated last line is among the lines).
    public func availableLines() throws(ClientError) -> (lines: [[UInt8]], ended: Bool) {
        var lines: [[UInt8]] = []
        while let line = buffer.nextLine() { lines.append(line) }
        guard descriptor >= 0 else { return (lines, true) }
        while true {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { return (lines, false) }
                if code == ECONNRESET {
                    if let last = finalLine() { lines.append(last) }
                    return (lines, true)
                }
                throw .io("read: \(SystemError.reason(code))")
            }
            if count == 0 {
                if let last = finalLine() { lines.append(last) }
                return (lines, true)
            }
            chunk.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            while let line = buffer.nextLine() { lines.append(line) }
            guard buffer.pendingCount <= Self.maximumLineLength else {
                throw .malformedReply("a line longer than \(Self.maximumLineLength) bytes")
            }
            if count < chunk.count { return (lines, false) }
        }
    }

    /// At the end of the stream: an unterminated last line if there is one (a daemon is not
    /// supposed to send one, but its content is better shown than dropped), else nil.
    private func finalLine() -> [UInt8]? {
        close()
        let rest = buffer.takeRest()
        return rest.isEmpty ? nil : rest
    }

    private static func monotonicMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }

    /// The start of a line for an error message, decoded leniently.
    static func excerpt(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(200), as: UTF8.self)
        return line.count > 200 ? text + "…" : text
    }
}
