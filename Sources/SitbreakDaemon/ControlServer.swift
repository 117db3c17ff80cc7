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
        public var maximumLineBytes = 64 * 1024
        /// Most clients at once; one more is refused.
        public var maximumClients = 4096
        /// Unwritten bytes a subscriber may fall behind by before it is dropped.
        public var maximumSubscriberBacklog = 1024 * 1024

        /// The defaults above.
        public init() {}
    }

    let listenFD: Int32
    /// The socket file this server created and must remove, nil under socket activation.
    let ownedPath: String?
    let limits: Limits
    private let loop: EventLoop
    private var clients: [Int32: ClientConnection] = [:]
    private let uid = getuid()
    /// Called with each complete request line; returns the reply line, or nil for none.
    var onLine: (ClientConnection, [UInt8]) -> String? = { _, _ in nil }
    /// Called with something for the log.
    var onLog: (String) -> Void = { _ in }

    /// Serves an already listening socket (socket activation).
    init(listening fd: Int32, loop: EventLoop, limits: Limits = Limits()) throws(DaemonError) {
        listenFD = fd
        ownedPath = nil
        self.loop = loop
        self.limits = limits
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        try register()
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
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            throw .setup("socket path \(path) is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        // A socket file left by a crash is stale if nobody answers on it; a live one means another
        // daemon runs.
        if access(path, F_OK) == 0 {
            let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            close(probe)
            if connected == 0 { throw .setup("another sitbreakd is already listening on \(path)") }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .system(.errno("socket(AF_UNIX)")) }
        // The socket is 0600 from birth: no window in which another user could connect.
        let oldMask = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        umask(oldMask)
        guard bound == 0 else {
            let error = SystemError.errno("bind \(path)")
            close(fd)
            throw .system(error)
        }
        guard listen(fd, SOMAXCONN) == 0 else {
            let error = SystemError.errno("listen \(path)")
            close(fd)
            throw .system(error)
        }
        listenFD = fd
        ownedPath = path
        try register()
    }

    private func register() throws(DaemonError) {
        do {
            try loop.add(listenFD) { [unowned self] _ in self.acceptAll() }
        } catch {
            throw .system(error)
        }
    }

    /// Closes every client and the listening socket; removes the socket file it created.
    func shutdown() {
        for client in clients.values { drop(client) }
        loop.remove(listenFD)
        close(listenFD)
        if let ownedPath { unlink(ownedPath) }
    }

    private func acceptAll() {
        while true {
            let fd = sitbreak_accept(listenFD)
            if fd < 0 {
                if -fd == EINTR { continue }
                if -fd == EMFILE || -fd == ENFILE { onLog("accept: \(SystemError("accept", code: -fd).reason)") }
                return
            }
            let client = ClientConnection(fd: fd)
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
                close(fd)
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
        close(client.fd)
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
            client.input.append(contentsOf: chunk[0..<n])
            processLines(client)
        }
        send(client)
    }

    private func processLines(_ client: ClientConnection) {
        var start = 0
        while let newline = client.input[start...].firstIndex(of: 0x0A) {
            var line = Array(client.input[start..<newline])
            start = newline + 1
            if line.last == 0x0D { line.removeLast() }
            if line.count > limits.maximumLineBytes { return tooLong(client) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if let reply = onLine(client, line) { client.enqueue(reply) }
            if client.closeAfterFlush || client.subscribed { break }
        }
        if client.subscribed {
            client.input = []
            return
        }
        client.input.removeFirst(start)
        if client.input.count > limits.maximumLineBytes { tooLong(client) }
    }

    private func tooLong(_ client: ClientConnection) {
        client.input = []
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
        close(client.fd)
    }
}
