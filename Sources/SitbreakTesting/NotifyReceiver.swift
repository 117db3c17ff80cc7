import Foundation
import Glibc
import SitbreakSystem

/// The receiving end of `sd_notify` for tests (docs/testing.md §2): an `AF_UNIX` datagram socket bound
/// in a temporary directory. Point `NOTIFY_SOCKET` of a child process (or a
/// `ServiceNotifier(socketPath:)`) at ``path`` and read what arrives.
///
/// The kernel stamps each datagram on arrival (`SO_TIMESTAMPNS`), so intervals such as the
/// watchdog cadence are measured exactly even when the test reads late, and attaches the sender's
/// credentials (`SO_PASSCRED`), so a test can check that only the main process notified.
///
/// One owner: the instance owns the socket descriptor and its directory, and closes and removes
/// both in ``close()`` or when it is released. Not `Sendable`: use it from one task.
public final class NotifyReceiver {
    /// One datagram as it arrived.
    public struct Datagram: Sendable, CustomStringConvertible {
        /// The text, e.g. `READY=1\nSTATUS=sitting since 09:36`.
        public var text: String
        /// Arrival time on the realtime clock, in seconds since the epoch (kernel timestamp).
        public var arrival: Double
        /// The sender's process id (0 if the kernel attached none).
        public var senderPID: Int32
        /// The sender's user id.
        public var senderUID: UInt32

        /// The `KEY=value` assignments, in order.
        public var assignments: [(key: String, value: String)] {
            text.split(separator: "\n").map { line in
                let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
        }

        /// The value of `key` in this datagram, e.g. `datagram["STATUS"]`.
        public subscript(key: String) -> String? { assignments.first { $0.key == key }?.value }

        /// The text with line feeds shown as `\n`, and the sender.
        public var description: String {
            "\(text.replacingOccurrences(of: "\n", with: "\\n")) (pid \(senderPID))"
        }
    }

    /// A system call failed.
    public struct Failure: Error, CustomStringConvertible {
        /// Which call, and errno's text.
        public var description: String
    }

    /// The bound socket's path: the value for `NOTIFY_SOCKET`.
    public let path: String
    /// Every datagram received so far, oldest first.
    public private(set) var received: [Datagram] = []
    /// The bound socket; nil once closed.
    private var socket: FileDescriptor?
    private var descriptor: Int32 { socket?.rawValue ?? -1 }
    private let directory: TemporaryDirectory

    /// Binds a fresh socket in a new temporary directory.
    public init() throws {
        directory = try TemporaryDirectory(prefix: "sitbreak-notify")
        path = directory.path + "/notify.sock"
        do {
            let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw Self.failure("socket") }
            socket = FileDescriptor(descriptor)
            var on: Int32 = 1
            guard setsockopt(descriptor, SOL_SOCKET, SO_PASSCRED, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                throw Self.failure("setsockopt SO_PASSCRED")
            }
            guard setsockopt(descriptor, SOL_SOCKET, Self.soTimestampNS, &on, socklen_t(MemoryLayout<Int32>.size)) == 0
            else { throw Self.failure("setsockopt SO_TIMESTAMPNS") }
            guard try UnixSocketAddress(path).bind(descriptor) == 0 else { throw Self.failure("bind \(path)") }
        } catch {
            socket = nil
            directory.remove()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Closes the socket and removes its directory; idempotent.
    public func close() {
        guard socket != nil else { return }
        socket = nil
        directory.remove()
    }

    /// The next datagram, waiting at most `timeout` seconds; nil when none came.
    public func receive(timeout: Double) throws -> Datagram? {
        precondition(descriptor >= 0, "NotifyReceiver used after close()")
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let datagram = try receiveNow() { return datagram }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return nil }
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if ready < 0 && errno != EINTR { throw Self.failure("poll") }
        }
    }

    /// Receives until a datagram satisfies `predicate` (returned) or `timeout` seconds pass (nil).
    /// Every datagram on the way is kept in ``received``.
    public func waitFor(timeout: Double, where predicate: (Datagram) -> Bool) throws -> Datagram? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0, let datagram = try receive(timeout: left) else { return nil }
            if predicate(datagram) { return datagram }
        }
    }

    /// Every datagram arriving within `seconds` from now.
    public func collect(for seconds: Double) throws -> [Datagram] {
        let deadline = Date().addingTimeInterval(seconds)
        var out: [Datagram] = []
        while case let left = deadline.timeIntervalSinceNow, left > 0, let datagram = try receive(timeout: left) {
            out.append(datagram)
        }
        return out
    }

    // Linux ABI constants Glibc's Swift overlay does not import (they are enum values in
    // <bits/socket.h> or depend on the time_t width); stable on every Linux architecture Swift
    // targets with a 64-bit time_t.
    private static let soTimestampNS: Int32 = 35  // SO_TIMESTAMPNS == SCM_TIMESTAMPNS
    private static let scmCredentials: Int32 = 2  // SCM_CREDENTIALS

    /// One datagram if one is queued, without waiting.
    private func receiveNow() throws -> Datagram? {
        var payload = [UInt8](repeating: 0, count: 4096)
        // Room for a ucred and a timespec control message, aligned.
        var control = [UInt64](repeating: 0, count: 16)
        var message = msghdr()
        let count = payload.withUnsafeMutableBytes { payloadBytes in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: payloadBytes.baseAddress, iov_len: payloadBytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    return recvmsg(descriptor, &message, Int32(MSG_DONTWAIT))
                }
            }
        }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
            throw Self.failure("recvmsg")
        }
        var datagram = Datagram(
            text: String(decoding: payload[0..<count], as: UTF8.self),
            arrival: Date().timeIntervalSince1970, senderPID: 0, senderUID: 0)
        // Walk the control messages by hand (the CMSG_* macros are not imported): each is a
        // cmsghdr {size_t len; int level; int type} followed by data, aligned to size_t.
        control.withUnsafeBytes { bytes in
            let headerSize = MemoryLayout<Int>.size + 2 * MemoryLayout<Int32>.size
            var offset = 0
            while offset + headerSize <= message.msg_controllen {
                let length = bytes.loadUnaligned(fromByteOffset: offset, as: Int.self)
                let level = bytes.loadUnaligned(fromByteOffset: offset + MemoryLayout<Int>.size, as: Int32.self)
                let type = bytes.loadUnaligned(fromByteOffset: offset + MemoryLayout<Int>.size + 4, as: Int32.self)
                guard length >= headerSize else { break }
                let data = offset + headerSize
                if level == SOL_SOCKET && type == Self.scmCredentials {
                    datagram.senderPID = bytes.loadUnaligned(fromByteOffset: data, as: Int32.self)
                    datagram.senderUID = bytes.loadUnaligned(fromByteOffset: data + 4, as: UInt32.self)
                } else if level == SOL_SOCKET && type == Self.soTimestampNS {
                    let seconds = bytes.loadUnaligned(fromByteOffset: data, as: Int.self)
                    let nanoseconds = bytes.loadUnaligned(fromByteOffset: data + MemoryLayout<Int>.size, as: Int.self)
                    datagram.arrival = Double(seconds) + Double(nanoseconds) / 1e9
                }
                let align = MemoryLayout<Int>.size
                offset += (length + align - 1) / align * align
            }
        }
        received.append(datagram)
        return datagram
    }

    private static func failure(_ call: String) -> Failure {
        Failure(description: SystemError.errno(call).description)
    }
}
