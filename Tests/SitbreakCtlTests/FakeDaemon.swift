import Foundation
import Glibc
import SitbreakSystem

/// A stand-in for sitbreakd: a real AF_UNIX listening socket in a temporary directory, served by a
/// thread of the test process, answering each request line with canned lines.
///
/// It records every line it receives, so a test can assert exactly what `sitbreakctl` sent.
final class FakeDaemon: @unchecked Sendable {
    /// What to do with one received line (or, for `onConnect`, with a new connection).
    struct Response: Sendable {
        /// Lines to send, each followed by a line feed.
        var lines: [String]
        /// Whether to close the connection after sending them.
        var close = false
        /// If set, the bytes are sent in two writes 100 ms apart, cut after this many bytes, so
        /// the client sees a partial line.
        var splitAt: Int? = nil
    }

    /// The socket's path.
    let path: String
    private let listener: FileDescriptor
    private let lock = NSLock()
    private var lines: [String] = []
    private var connections = 0
    private let finished = DispatchSemaphore(value: 0)

    /// Lines received so far, in order, without their line feeds.
    var received: [String] { lock.withLock { lines } }
    /// Connections accepted so far.
    var connectionCount: Int { lock.withLock { connections } }

    /// Listens at `path` and serves connections one after the other until ``stop()``.
    /// - Parameters:
    ///   - onConnect: sent as soon as a connection is accepted (a refusal such as `too-many-clients`).
    ///   - respond: the answer to each request line.
    init(
        path: String, onConnect: Response? = nil, respond: @escaping @Sendable (String) -> Response
    ) throws {
        self.path = path
        let address = try UnixSocketAddress(path)
        listener = FileDescriptor(
            try SystemError.checkSystemCall(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0), "socket"))
        try SystemError.checkSystemCall(address.bind(listener.rawValue), "bind \(path)")
        try SystemError.checkSystemCall(listen(listener.rawValue, 16), "listen \(path)")
        let thread = Thread { [self] in
            serve(onConnect: onConnect, respond: respond)
            finished.signal()
        }
        thread.start()
    }

    /// Stops listening, waits for the serving thread and removes the socket file.
    func stop() {
        // shutdown wakes the blocked accept (Linux returns EINVAL), which ends the loop.
        shutdown(listener.rawValue, Int32(SHUT_RDWR))
        finished.wait()
        listener.close()
        unlink(path)
    }

    private func serve(onConnect: Response?, respond: @Sendable (String) -> Response) {
        while true {
            let accepted = accept(listener.rawValue, nil, nil)
            if accepted < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.withLock { connections += 1 }
            let owner = FileDescriptor(accepted)
            // Closed here, not when Swift last sees `owner` used (which may be right away).
            defer { owner.close() }
            let connection = owner.rawValue
            if let onConnect {
                send(onConnect.lines, splitAt: nil, to: connection)
                if onConnect.close { continue }
            }
            var pending = LineBuffer()
            var chunk = [UInt8](repeating: 0, count: 4096)
            reading: while true {
                let count = read(connection, &chunk, chunk.count)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                chunk.withUnsafeBytes { pending.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                while let bytes = pending.nextLine() {
                    let line = String(decoding: bytes, as: UTF8.self)
                    lock.withLock { lines.append(line) }
                    let response = respond(line)
                    send(response.lines, splitAt: response.splitAt, to: connection)
                    if response.close { break reading }
                }
            }
        }
    }

    private func send(_ lines: [String], splitAt: Int?, to connection: Int32) {
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        var offset = 0
        if let splitAt {
            write(Array(bytes.prefix(splitAt)), to: connection)
            usleep(100_000)
            offset = min(splitAt, bytes.count)
        }
        write(Array(bytes[offset...]), to: connection)
    }

    private func write(_ bytes: [UInt8], to connection: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 { return }
            offset += written
        }
    }
}
