import Foundation
import SitbreakSystem

/// A blocking client of a Unix stream socket that speaks lines, for tests of the control socket.
public final class LineSocket: @unchecked Sendable {
    // Used from one test at a time.
    private let socket: FileDescriptor
    private var buffer = LineBuffer()

    /// The connected descriptor.
    public var fd: Int32 { socket.rawValue }

    /// Connects to `path`; throws with errno's text when nobody listens.
    public init(path: String) throws {
        let address = try UnixSocketAddress(path)
        socket = FileDescriptor(
            try SystemError.checkSystemCall(
                Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0), "socket"))
        guard address.connect(socket.rawValue) == 0 else {
            throw LineSocketError(message: SystemError.errno("connect \(path)").description)
        }
    }

    /// Sends `line` and a line feed.
    public func send(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw LineSocketError(message: SystemError.errno("send").description) }
            sent += n
        }
    }

    /// The next line, or nil at end of stream or after `timeout` seconds without one.
    public func readLine(timeout: Double = 5) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let line = buffer.nextLine() { return String(decoding: line, as: UTF8.self) }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, Int32(remaining * 1000) + 1)
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            chunk.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// Sends `line` and returns the reply line parsed as a JSON object.
    public func request(_ line: String, timeout: Double = 5) throws -> [String: Any] {
        try send(line)
        guard let reply = readLine(timeout: timeout) else { throw LineSocketError(message: "no reply to \(line)") }
        return try Self.object(reply)
    }

    /// `text` parsed as a JSON object.
    public static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw LineSocketError(message: "not a JSON object: \(text)")
        }
        return object
    }

    /// Reads lines until one satisfies `match` (returned) or `timeout` passes (nil).
    public func waitForLine(timeout: Double = 5, where match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let line = readLine(timeout: deadline.timeIntervalSinceNow) else { return nil }
            if match(line) { return line }
        }
        return nil
    }
}

/// A failure of ``LineSocket``.
public struct LineSocketError: Error, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    public var description: String { message }
}
