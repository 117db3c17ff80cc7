import CLinux
import Glibc

/// A single-threaded epoll loop: file descriptors with handlers, and one CLOCK_BOOTTIME timer.
///
/// The daemon sleeps in `epoll_wait` until a descriptor is ready or the timer fires: no polling
/// tick, no threads. The timer counts through suspend, so a deadline that passed while the
/// machine slept fires at once on wake.
public final class EventLoop {
    /// What is ready on a descriptor.
    public struct Readiness: Sendable {
        /// Data (or a connection, or EOF) can be read.
        public var readable: Bool
        /// The send buffer has room again.
        public var writable: Bool
        /// The peer hung up or the descriptor failed.
        public var hangUp: Bool
    }

    private let epoll: FileDescriptor
    private let timer: FileDescriptor
    /// Each watched descriptor's current registration. Events carry the registration's token, not
    /// the descriptor number: a descriptor closed and its number reused in the same batch of
    /// events cannot be mistaken for the old one, whose token no longer has a handler.
    private var registrations: [Int32: UInt64] = [:]
    private var handlers: [UInt64: (Readiness) -> Void] = [:]
    /// The token of the next registration; 0 is the loop's own timer.
    private var nextToken: UInt64 = 1
    private static let timerToken: UInt64 = 0
    private var timerHandler: (() -> Void)?

    /// Runs after every wait, before any handler: the first code to see a wake-up, so that
    /// something that happened while the process slept (a suspend) is dealt with before handlers
    /// act on the present.
    public var onWake: (() -> Void)?

    /// Creates the epoll instance and the timer.
    public init() throws(SystemError) {
        epoll = try FileDescriptor(checking: sitbreak_epoll_create(), "epoll_create1")
        timer = try FileDescriptor(checking: sitbreak_timerfd_create(), "timerfd_create(CLOCK_BOOTTIME)")
        try SystemError.check(
            sitbreak_epoll_control(
                epoll.rawValue, SITBREAK_EPOLL_ADD, timer.rawValue, SITBREAK_EPOLL_READABLE, Self.timerToken),
            "epoll_ctl(ADD timerfd)")
    }

    /// Watches `fd`; `handler` runs on the loop whenever it is ready. The caller owns `fd` and
    /// calls ``remove(_:)`` before closing it.
    public func add(_ fd: Int32, writable: Bool = false, handler: @escaping (Readiness) -> Void) throws(SystemError) {
        let token = nextToken
        let result = sitbreak_epoll_control(
            epoll.rawValue, SITBREAK_EPOLL_ADD, fd, Self.interest(writable: writable), token)
        guard result == 0 else { throw SystemError("epoll_ctl(ADD \(fd))", code: -result) }
        nextToken += 1
        registrations[fd] = token
        handlers[token] = handler
    }

    /// Changes whether `fd` is watched for writability (and stays watched for reading).
    public func setWritableInterest(_ fd: Int32, _ writable: Bool) {
        setInterest(fd, readable: true, writable: writable)
    }

    /// Changes what `fd` is watched for. A descriptor watched for neither still reports a hang-up
    /// or an error (epoll always does), but not a peer that only stopped sending.
    public func setInterest(_ fd: Int32, readable: Bool, writable: Bool) {
        guard let token = registrations[fd] else { return }
        let interest = (readable ? SITBREAK_EPOLL_READABLE : 0) | (writable ? SITBREAK_EPOLL_WRITABLE : 0)
        _ = sitbreak_epoll_control(epoll.rawValue, SITBREAK_EPOLL_MODIFY, fd, interest, token)
    }

    /// Stops watching `fd` (the caller closes it). Events of this registration already waiting
    /// in the current batch are dropped.
    public func remove(_ fd: Int32) {
        guard let token = registrations.removeValue(forKey: fd) else { return }
        _ = sitbreak_epoll_control(epoll.rawValue, SITBREAK_EPOLL_REMOVE, fd, 0, token)
        handlers[token] = nil
    }

    private static func interest(writable: Bool) -> UInt32 {
        SITBREAK_EPOLL_READABLE | (writable ? SITBREAK_EPOLL_WRITABLE : 0)
    }

    /// Arms the timer for an absolute CLOCK_BOOTTIME instant in nanoseconds (nil disarms);
    /// `handler` runs when it fires.
    public func setTimer(boottimeNanoseconds: Int64?, handler: @escaping () -> Void) {
        timerHandler = handler
        // 0 disarms a timerfd, so an instant at 0 (never in practice) is nudged to 1 ns.
        _ = sitbreak_timerfd_arm(timer.rawValue, boottimeNanoseconds.map { max(1, $0) } ?? 0)
    }

    /// Waits once for readiness or the timer (`blocking` false: only looks, for a caller with
    /// work of its own to continue) and runs the handlers. Returns false on a fatal epoll error.
    public func runOnce(blocking: Bool = true) -> Bool {
        var tokens = [UInt64](repeating: 0, count: 64)
        var flags = [UInt32](repeating: 0, count: 64)
        let count = sitbreak_epoll_wait(epoll.rawValue, &tokens, &flags, 64, blocking ? -1 : 0)
        if count == -EINTR {
            onWake?()
            return true
        }
        guard count >= 0 else { return false }
        onWake?()
        for i in 0..<Int(count) {
            if tokens[i] == Self.timerToken {
                var expirations: UInt64 = 0
                _ = read(timer.rawValue, &expirations, 8)
                timerHandler?()
                continue
            }
            // A handler may have removed this registration while handling an earlier event.
            guard let handler = handlers[tokens[i]] else { continue }
            handler(
                Readiness(
                    readable: flags[i] & SITBREAK_EPOLL_READABLE != 0,
                    writable: flags[i] & SITBREAK_EPOLL_WRITABLE != 0,
                    hangUp: flags[i] & SITBREAK_EPOLL_HANG_UP != 0))
        }
        return true
    }
}
