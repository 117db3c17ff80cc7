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
        /// Unwritten reply bytes past which a client's further requests are not read until it
        /// reads its replies: a client that sends and never reads costs this much, not more.
        public var readPauseBacklog = 64 * 1024
        /// A connection that completes no request within this many seconds is closed when
        /// another client connects (a subscriber has completed one).
        public var silentSeconds = 10
        /// Descriptors kept free for the daemon's own files (state saves, reload, presence
        /// sources): the client cap is lowered below the soft descriptor limit by this many.
        public var reservedDescriptors = 64
        /// When accepting fails for want of descriptors anyway (descriptors inherited or used
        /// otherwise), the cap drops to the clients served then less this many, so that saving
        /// the state still finds descriptors free.
        public var spareDescriptors = 16

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
    /// The client cap in force: ``Limits/maximumClients``, lowered to fit the descriptor limit
    /// (and lowered again if descriptors run out before it).
    private(set) var maximumClients: Int
    /// A descriptor held in reserve (on /dev/null): out of descriptors, closing it lets the
    /// server accept the waiting connection and make room for it, instead of spinning on EMFILE.
    private var reserve: FileDescriptor?
    /// The listening socket is not watched (out of descriptors, no reserve) until a client leaves.
    private var listenerPaused = false
    /// The most clients connected at once since memory was last given back.
    private var peakClients = 0
    private var nextSerial: UInt64 = 0
    /// Connections in the order they came, for closing those that stay silent (see
    /// ``closeSilentConnections(now:)``); entries before `recentlyConnectedStart` are done.
    private var recentlyConnected: [ClientConnection] = []
    private var recentlyConnectedStart = 0
    private var lastPressureLog: Int64?
    private var unloggedPressure = 0
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
        maximumClients = Self.clientCap(limits)
        reopenReserve()
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        try loop.add(listener.rawValue) { [unowned self] _ in self.acceptAll() }
    }

    /// Creates the socket at `path` (in a directory of its own, see
    /// ``DaemonPaths/prepareSocketDirectory(_:)``; socket 0600) and listens.
    init(path: String, loop: EventLoop, limits: Limits = Limits()) throws(DaemonError) {
        self.loop = loop
        self.limits = limits
        maximumClients = Self.clientCap(limits)
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty { try DaemonPaths.prepareSocketDirectory(directory) }
        let address: UnixSocketAddress
        do {
            address = try UnixSocketAddress(path)
            // A socket file left by a crash is stale if nobody answers on it; a live one means
            // another daemon runs.
            var existing = stat()
            if lstat(path, &existing) == 0 {
                // Only a socket is replaced: anything else there is not the daemon's to remove.
                guard existing.st_mode & S_IFMT == S_IFSOCK else {
                    throw DaemonError.setup("\(path) exists and is not a socket; remove it or give --socket PATH")
                }
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
        reopenReserve()
        do {
            try loop.add(listener.rawValue) { [unowned self] _ in self.acceptAll() }
        } catch {
            throw .system(error)
        }
    }

    deinit {
        shutdown()
    }

    /// ``Limits/maximumClients``, or fewer when the soft descriptor limit (raised to the hard one
    /// at start) would not leave ``Limits/reservedDescriptors`` for the daemon's own use.
    private static func clientCap(_ limits: Limits) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return limits.maximumClients
        }
        let available = Int(clamping: limit.rlim_cur) - limits.reservedDescriptors
        return max(1, min(limits.maximumClients, available))
    }

    /// Closes every client and the listening socket; removes the socket file it created.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        for client in clients.values { drop(client) }
        loop.remove(listener.rawValue)
        listener.close()
        reserve?.close()
        if let ownedPath { unlink(ownedPath) }
    }

    private func acceptAll() {
        while !listenerPaused {
            var fd = sitbreak_accept(listener.rawValue)
            var outOfDescriptors = false
            if fd < 0 {
                let code = -fd
                if code == EINTR || code == ECONNABORTED { continue }
                guard code == EMFILE || code == ENFILE else { return }
                // Out of descriptors: the listening socket stays readable, so returning would spin.
                // The reserve gives back one descriptor to take the connection with.
                guard let spare = reserve else {
                    // No reserve (something else took its place): free one by closing the
                    // longest idle client, or wait for a client to leave.
                    guard let victim = evictionCandidate() else {
                        pauseListening(SystemError("accept", code: code))
                        return
                    }
                    evict(victim)
                    continue
                }
                spare.close()
                reserve = nil
                fd = sitbreak_accept(listener.rawValue)
                if fd < 0 {
                    reopenReserve()
                    if reserve == nil { pauseListening(SystemError("accept", code: -fd)) }
                    return
                }
                outOfDescriptors = true
                pressure("out of file descriptors (\(SystemError("accept", code: code)))")
            }
            admit(fd, outOfDescriptors: outOfDescriptors)
            if outOfDescriptors { reopenReserve() }
        }
    }

    /// Serves a new connection, making room for it when the server is full: the client cap or the
    /// descriptors are never a reason to lock a new client out while an idle one holds a place.
    private func admit(_ fd: Int32, outOfDescriptors: Bool) {
        let now = SystemClock.monotonicNanoseconds()
        nextSerial += 1
        let client = ClientConnection(FileDescriptor(fd), serial: nextSerial, now: now)
        var peer: uid_t = 0
        if sitbreak_peer_uid(fd, &peer) != 0 || peer != uid {
            refuse(client, ProtocolError(.permissionDenied, "only the user running sitbreakd may connect"))
            return
        }
        closeSilentConnections(now: now)
        if outOfDescriptors {
            let lowered = max(1, min(maximumClients, clients.count - limits.spareDescriptors))
            if lowered < maximumClients {
                onLog(
                    "out of file descriptors with \(clients.count) clients: serving at most \(lowered) from now, "
                        + "the longest idle closed to make room")
                maximumClients = lowered
            }
        }
        var evicted = 0
        while clients.count >= maximumClients, let victim = evictionCandidate() {
            evict(victim)
            evicted += 1
        }
        if clients.count >= maximumClients {
            refuse(
                client,
                ProtocolError(.tooManyClients, "sitbreakd serves \(maximumClients) clients at most; try again later"))
            return
        }
        if evicted > 0 && !outOfDescriptors {
            pressure("\(maximumClients) clients (the most served at once): closed the longest idle to serve a new one")
        }
        clients[fd] = client
        peakClients = max(peakClients, clients.count)
        do {
            try loop.add(fd) { [unowned self] readiness in self.service(client, readiness) }
        } catch {
            clients[fd] = nil
            return
        }
        recentlyConnected.append(client)
    }

    /// The client to close so that a new one gets in: the non-subscriber idle longest (one that
    /// never completed a request counts from when it connected); only when every client is a
    /// subscriber, the newest subscriber, so that a status bar subscribed since login keeps its
    /// stream.
    private func evictionCandidate() -> ClientConnection? {
        var idlest: ClientConnection?
        var newestSubscriber: ClientConnection?
        for client in clients.values {
            if client.subscribed {
                if client.serial > newestSubscriber?.serial ?? 0 { newestSubscriber = client }
            } else if client.lastActive < idlest?.lastActive ?? .max {
                idlest = client
            }
        }
        return idlest ?? newestSubscriber
    }

    private func evict(_ client: ClientConnection) {
        guard clients.removeValue(forKey: client.fd) != nil else { return }
        loop.remove(client.fd)
        // What it had queued is dropped: the error line should be the last it reads.
        client.output.removeAll()
        client.outputStart = 0
        refuse(
            client,
            ProtocolError(
                .tooManyClients,
                "sitbreakd is serving its most clients and closed this, the longest idle, for a new one"
            ))
        connectionClosed()
    }

    /// Closes connections that completed no request within ``Limits/silentSeconds`` of
    /// connecting. Checked when a client connects (the only time they stand in anyone's way), so
    /// no timer wakes an idle daemon; the queue is in connection order, so this stops at the first
    /// connection young enough.
    private func closeSilentConnections(now: Int64) {
        let limit = Int64(limits.silentSeconds) * 1_000_000_000
        while recentlyConnectedStart < recentlyConnected.count {
            let client = recentlyConnected[recentlyConnectedStart]
            let stillOpen = clients[client.fd] === client
            if stillOpen && !client.hasSpoken && !client.subscribed {
                guard now - client.connectedAt >= limit else { break }
                pressure("closed a client that sent no request within \(limits.silentSeconds) s of connecting")
                drop(client)
            }
            recentlyConnectedStart += 1
        }
        if recentlyConnectedStart > 1024 && recentlyConnectedStart * 2 > recentlyConnected.count {
            recentlyConnected.removeFirst(recentlyConnectedStart)
            recentlyConnectedStart = 0
        }
    }

    /// Stops accepting until a descriptor is freed: out of descriptors with no reserve left, a
    /// readable listening socket would otherwise wake the loop forever.
    private func pauseListening(_ error: SystemError) {
        pressure("\(error); not accepting until a client leaves")
        listenerPaused = true
        loop.setInterest(listener.rawValue, readable: false, writable: false)
    }

    /// A descriptor was freed: restore the reserve first, then accept again if paused.
    private func connectionClosed() {
        // Buffers of many clients leave freed heap pages behind that malloc keeps: once most of a
        // crowd (a thousand subscribers, a flood) has gone, give them back, once per crowd.
        if peakClients >= 64 && clients.count * 4 <= peakClients {
            // The silent-connection queue still holds the closed ones (and their buffers) until
            // the next connection: those already checked, and those closed, leave it now.
            recentlyConnected = recentlyConnected[recentlyConnectedStart...].filter { clients[$0.fd] === $0 }
            recentlyConnectedStart = 0
            malloc_trim(0)
            peakClients = clients.count
        }
        if reserve == nil { reopenReserve() }
        if listenerPaused, !isShutDown {
            listenerPaused = false
            loop.setInterest(listener.rawValue, readable: true, writable: false)
        }
    }

    private func reopenReserve() {
        guard reserve == nil else { return }
        let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        reserve = fd >= 0 ? FileDescriptor(fd) : nil
    }

    /// Logs a sign of pressure (eviction, descriptors running out) at most once a minute, with
    /// how many were not logged: a flood of connections must not become a flood of log lines.
    private func pressure(_ message: String) {
        let now = SystemClock.monotonicNanoseconds()
        if let last = lastPressureLog, now - last < 60_000_000_000 {
            unloggedPressure += 1
            return
        }
        let more = unloggedPressure > 0 ? " (and \(unloggedPressure) more such in the last minute)" : ""
        onLog(message + more)
        lastPressureLog = now
        unloggedPressure = 0
    }

    /// One error line, best effort, then close: the peer is not served.
    private func refuse(_ client: ClientConnection, _ error: ProtocolError) {
        client.enqueue(Reply.failure(id: .null, error: error))
        _ = client.flush()
        discardInputAndClose(client)
    }

    /// Closing a Unix socket with unread input resets the connection, and the peer may then
    /// lose the last line sent to it; read away what it already sent first.
    private func discardInputAndClose(_ client: ClientConnection) {
        var scratch = [UInt8](repeating: 0, count: 4096)
        var budget = 64
        while budget > 0, recv(client.fd, &scratch, scratch.count, Int32(MSG_DONTWAIT)) > 0 { budget -= 1 }
        client.descriptor.close()
    }

    private func service(_ client: ClientConnection, _ readiness: EventLoop.Readiness) {
        // Not watching for reading, a hang-up is the peer gone (or an error): nothing more can be
        // delivered.
        if readiness.hangUp && !client.wantsRead { return drop(client) }
        if client.wantsRead && (readiness.readable || readiness.hangUp) {
            readAvailable(client)
        }
        settle(client)
    }

    /// Reads while the client may send: stops when its replies pile up past
    /// ``Limits/readPauseBacklog`` (the rest waits in the kernel, whose buffer then makes the
    /// client block), and at end of stream.
    private func readAvailable(_ client: ClientConnection) {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while clients[client.fd] === client {
            let n = recv(client.fd, &chunk, chunk.count, 0)
            if n == 0 {
                client.peerFinished = true
                return
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                return drop(client)
            }
            // An ending connection, or a subscription (a stream now), takes no more requests.
            if client.closeAfterFlush || client.subscribed { continue }
            chunk.withUnsafeBytes { client.input.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            processLines(client)
            if client.backlog > limits.readPauseBacklog { return }
        }
    }

    private enum Progress { case drained, paused, stopped }

    /// Answers complete lines in the input while the replies fit under the pause backlog.
    @discardableResult
    private func processLines(_ client: ClientConnection) -> Progress {
        client.isProcessing = true
        defer { client.isProcessing = false }
        while clients[client.fd] === client {
            if client.closeAfterFlush || client.subscribed { break }
            if client.awaitingReply { return .paused }
            if client.backlog > limits.readPauseBacklog { return .paused }
            guard var line = client.input.nextLine() else {
                // A line is judged the same however its bytes arrive: without its line feed and
                // a carriage return before it, so a partial line may hold one byte more (a CR).
                if client.input.pendingCount > limits.maximumLineBytes + 1 { tooLong(client) }
                return .drained
            }
            if line.last == 0x0D { line.removeLast() }
            if line.count > limits.maximumLineBytes {
                tooLong(client)
                break
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            client.hasSpoken = true
            client.lastActive = SystemClock.monotonicNanoseconds()
            if let reply = onLine(client, line) { client.enqueue(reply) }
        }
        if client.subscribed { client.input = LineBuffer() }
        return .stopped
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
        settle(client)
    }

    /// Brings a client up to date after anything happened to it: writes what the socket takes,
    /// answers lines already received while the replies fit, ends it when everything is
    /// answered after end of stream (a half-closed client gets every reply first), and watches
    /// for what it waits for.
    private func settle(_ client: ClientConnection) {
        guard clients[client.fd] === client else { return }
        while true {
            guard client.flush() else { return drop(client) }
            if client.isProcessing || client.subscribed || client.closeAfterFlush { break }
            if client.awaitingReply || client.backlog > limits.readPauseBacklog { break }
            if processLines(client) == .drained {
                if client.peerFinished { client.closeAfterFlush = true }
                break
            }
            guard clients[client.fd] === client else { return }
        }
        // A subscriber that stopped sending may still read its stream: it stays until it closes.
        if client.closeAfterFlush && client.backlog == 0 { return finish(client) }
        // Not read while its reply is computed: what it sends meanwhile waits in the kernel.
        let wantsRead =
            !client.peerFinished && !client.awaitingReply
            && (client.subscribed || client.closeAfterFlush || client.backlog <= limits.readPauseBacklog)
        let wantsWrite = client.backlog > 0
        if wantsRead != client.wantsRead || wantsWrite != client.wantsWrite {
            client.wantsRead = wantsRead
            client.wantsWrite = wantsWrite
            loop.setInterest(client.fd, readable: wantsRead, writable: wantsWrite)
        }
    }

    /// Ends a connection whose last line is written.
    private func finish(_ client: ClientConnection) {
        guard clients.removeValue(forKey: client.fd) != nil else { return }
        loop.remove(client.fd)
        discardInputAndClose(client)
        connectionClosed()
    }

    /// `client`'s request is answered later (``complete(_:with:)``): until then nothing more of it
    /// is read or answered.
    func answerLater(_ client: ClientConnection) {
        client.awaitingReply = true
    }

    /// Sends the reply `client` waited for, then goes on with its requests (a client gone
    /// meanwhile is not served).
    func complete(_ client: ClientConnection, with reply: String) {
        client.awaitingReply = false
        guard clients[client.fd] === client else { return }
        client.enqueue(reply)
        settle(client)
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
        connectionClosed()
    }
}
