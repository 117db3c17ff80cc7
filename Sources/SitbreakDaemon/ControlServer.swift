import CLinux
import Glibc
import SitbreakProtocol
import SitbreakSystem

/// The control socket (docs/design.md §4): accepts same-user clients, frames JSON Lines, hands whole
/// lines to `onLine`, fans events out to subscribers, and enforces the limits that keep one client
/// from hurting the others.
public final class ControlServer {
    /// Limits of the protocol (docs/protocol.md).
    public struct Limits: Sendable {
        /// Longest request line, newline excluded.
        public var maximumLineBytes = ControlProtocol.maximumLineLength
        /// Most clients at once; one more is refused.
        public var maximumClients = 4096
        /// Unwritten bytes a subscriber may fall behind by before it is dropped.
        public var maximumSubscriberBacklog = 1024 * 1024

        /// The defaults above.
        public init() {}
    }

    /// The listening socket.
    private let listener: FileDescriptor
    /// The socket file this server created and must remove, nil under socket activation.
    let ownedPath: String?
    let limits: Limits
    private let loop: EventLoop
    private var clients: [Int32: ClientConnection] = [:]
    private let uid = getuid()
    private var isShutDown = false
    /// Called with each complete request line; returns the reply line, or nil for none.
    var onLine: (ClientConnection, [UInt8]) -> String? = { _, _ in nil }
    /// Called with something for the log.
    var onLog: (String) -> Void = { _ in }

    /// Serves an already listening socket (socket activation); takes ownership of `fd`.
    init(listening fd: Int32, loop: EventLoop, limits: Limits = Limits()) throws(SystemError) {
        listener = FileDescriptor(fd)
        ownedPath = nil
        self.loop = loop
        self.limits = limits
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        try loop.add(listener.rawValue) { [unowned self] _ in self.acceptAll() }
    }

    /// Creates the socket at `path` (directory 0700, socket 0600) and listens.
    init(path: String, loop: EventLoop, limits: Limits = Limits()) throws(DaemonError) {
        self.loop = loop
        self.limits = limits
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty {
            try StateStore.makeDirectories(directory)
            chmod(directory, 0o700)
        }
        let address: UnixSocketAddress
        do {
            address = try UnixSocketAddress(path)
            // A socket file left by a crash is stale if nobody answers on it; a live one means
            // another daemon runs.
            if access(path, F_OK) == 0 {
                let probe = FileDescriptor(
                    try SystemError.checkSystemCall(
                        socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0),
                        "socket(AF_UNIX)"))
                if address.connect(probe.rawValue) == 0 {
                    throw DaemonError.setup("another sitbreakd is already listening on \(path)")
                }
                unlink(path)
            }
            listener = FileDescriptor(
                try SystemError.checkSystemCall(
                    socket(
                        AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0),
                    "socket(AF_UNIX)"))
        } catch let error as SystemError {
            throw .system(error)
        } catch let error as DaemonError {
            throw error
        } catch {
            throw .setup("\(error)")
        }
        // The socket is 0600 from birth: no window in which another user could connect.
        let oldMask = umask(0o177)
        let bound = address.bind(listener.rawValue)
        umask(oldMask)
        guard bound == 0 else { throw .system(.errno("bind \(path)")) }
        guard listen(listener.rawValue, SOMAXCONN) == 0 else {
            let error = SystemError.errno("listen \(path)")
            unlink(path)
            throw .system(error)
        }
        // From here a throw runs deinit, which removes the file.
        ownedPath = path
        do {
            try loop.add(listener.rawValue) { [unowned self] _ in self.acceptAll() }
        } catch {
            throw .system(error)
        }
    }

    deinit {
        shutdown()
    }

    /// Closes every client and the listening socket; removes the socket file it created.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        for client in clients.values { drop(client) }
        loop.remove(listener.rawValue)
        listener.close()
        if let ownedPath { unlink(ownedPath) }
    }

    private func acceptAll() {
        while true {
            let fd = sitbreak_accept(listener.rawValue)
            if fd < 0 {
                if -fd == EINTR { continue }
                if -fd == EMFILE || -fd == ENFILE { onLog(SystemError("accept", code: -fd).description) }
                return
            }
            let client = ClientConnection(FileDescriptor(fd))
            var peer: uid_t = 0
            if sitbreak_peer_uid(fd, &peer) != 0 || peer != uid {
                refuse(client, ProtocolError(.permissionDenied, "only the user running sitbreakd may connect"))
                continue
            }
            if clients.count >= limits.maximumClients {
                refuse(
                    client,
                    ProtocolError(
                        .tooManyClients, "sitbreakd serves \(limits.maximumClients) clients at most; try again later"))
                continue
            }
            clients[fd] = client
            do {
                try loop.add(fd) { [unowned self] readiness in self.service(client, readiness) }
            } catch {
                clients[fd] = nil
            }
        }
    }

    /// One error line, best effort, then close: the peer is not served.
    private func refuse(_ client: ClientConnection, _ error: ProtocolError) {
        client.enqueue(Reply.failure(id: .null, error: error))
        _ = client.flush()
        // Closing a Unix socket with unread input resets the connection, and the peer may then
        // lose the error line; read away what it already sent first.
        var scratch = [UInt8](repeating: 0, count: 4096)
        while recv(client.fd, &scratch, scratch.count, Int32(MSG_DONTWAIT)) > 0 {}
        client.descriptor.close()
    }

    private func service(_ client: ClientConnection, _ readiness: EventLoop.Readiness) {
        if readiness.writable {
            guard client.flush() else { return drop(client) }
            if client.backlog == 0 && client.closeAfterFlush { return drop(client) }
            updateWriteInterest(client)
        }
        if readiness.readable || readiness.hangUp {
            readAvailable(client)
        }
    }

    private func readAvailable(_ client: ClientConnection) {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while clients[client.fd] != nil {
            let n = recv(client.fd, &chunk, chunk.count, 0)
            if n == 0 {
                // The peer finished sending (`socat`, `echo … | nc -U`): answer what it sent, best
                // effort, then close. Waiting for writability here would spin on the EOF.
                _ = client.flush()
                return drop(client)
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                return drop(client)
            }
            // An ending connection, or a subscription (a stream now), takes no more requests.
            if client.closeAfterFlush || client.subscribed { continue }
            chunk.withUnsafeBytes { client.input.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            processLines(client)
        }
        send(client)
    }

    private func processLines(_ client: ClientConnection) {
        while var line = client.input.nextLine() {
            if line.last == 0x0D { line.removeLast() }
            if line.count > limits.maximumLineBytes { return tooLong(client) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if let reply = onLine(client, line) { client.enqueue(reply) }
            if client.closeAfterFlush || client.subscribed { break }
        }
        if client.subscribed {
            client.input = LineBuffer()
            return
        }
        if client.input.pendingCount > limits.maximumLineBytes { tooLong(client) }
    }

    private func tooLong(_ client: ClientConnection) {
        client.input = LineBuffer()
        client.enqueue(
            Reply.failure(
                id: .null,
                error: ProtocolError(
                    .lineTooLong, "a request line may be at most \(limits.maximumLineBytes) bytes; closing")))
        client.closeAfterFlush = true
    }

    /// Writes what is queued for `client` now, or arranges to when the socket has room.
    func send(_ client: ClientConnection) {
        guard clients[client.fd] != nil else { return }
        guard client.flush() else { return drop(client) }
        if client.backlog == 0 && client.closeAfterFlush { return drop(client) }
        updateWriteInterest(client)
    }

    private func updateWriteInterest(_ client: ClientConnection) {
        let wants = client.backlog > 0
        if wants != client.wantsWrite {
            client.wantsWrite = wants
            loop.setWritableInterest(client.fd, wants)
        }
    }

    /// Sends `line` to every subscriber. A subscriber whose unwritten backlog passes the limit is
    /// dropped: it has stopped reading, and holding its events would cost memory without bound.
    func broadcast(_ line: String) {
        for client in clients.values where client.subscribed {
            client.enqueue(line)
            if client.backlog > limits.maximumSubscriberBacklog {
                onLog("dropping a subscriber that stopped reading (\(client.backlog) bytes behind)")
                drop(client)
                continue
            }
            send(client)
        }
    }

    private func drop(_ client: ClientConnection) {
        guard clients.removeValue(forKey: client.fd) != nil else { return }
        loop.remove(client.fd)
        client.descriptor.close()
    }
}
