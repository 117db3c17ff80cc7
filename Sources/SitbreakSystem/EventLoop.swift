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

    private let epollFD: Int32
    private let timerFD: Int32
    private var handlers: [Int32: (Readiness) -> Void] = [:]
    private var timerHandler: (() -> Void)?

    /// Runs after every wait, before any handler: the first code to see a wake-up, so that
    /// something that happened while the process slept (a suspend) is dealt with before handlers
    /// act on the present.
    public var onWake: (() -> Void)?

    /// Creates the epoll instance and the timer.
    public init() throws(SystemError) {
        let epoll = sitbreak_epoll_create()
        guard epoll >= 0 else { throw SystemError("epoll_create1", code: -epoll) }
        let timer = sitbreak_timerfd_create()
        guard timer >= 0 else {
            close(epoll)
            throw SystemError("timerfd_create(CLOCK_BOOTTIME)", code: -timer)
        }
        epollFD = epoll
        timerFD = timer
        _ = sitbreak_epoll_control(epollFD, 1, timerFD, 1, 0)
    }

    deinit {
        close(timerFD)
        close(epollFD)
    }

    /// Watches `fd`; `handler` runs on the loop whenever it is ready.
    public func add(_ fd: Int32, writable: Bool = false, handler: @escaping (Readiness) -> Void) throws(SystemError) {
        let result = sitbreak_epoll_control(epollFD, 1, fd, 1, writable ? 1 : 0)
        guard result == 0 else { throw SystemError("epoll_ctl(ADD \(fd))", code: -result) }
        handlers[fd] = handler
    }

    /// Changes whether `fd` is watched for writability.
    public func setWritableInterest(_ fd: Int32, _ writable: Bool) {
        _ = sitbreak_epoll_control(epollFD, 2, fd, 1, writable ? 1 : 0)
    }

    /// Stops watching `fd` (the caller closes it).
    public func remove(_ fd: Int32) {
        _ = sitbreak_epoll_control(epollFD, 3, fd, 0, 0)
        handlers[fd] = nil
    }

    /// Arms the timer for an absolute CLOCK_BOOTTIME instant in nanoseconds (nil disarms);
    /// `handler` runs when it fires.
    public func setTimer(boottimeNanoseconds: Int64?, handler: @escaping () -> Void) {
        timerHandler = handler
        // 0 disarms a timerfd, so an instant at 0 (never in practice) is nudged to 1 ns.
        _ = sitbreak_timerfd_arm(timerFD, boottimeNanoseconds.map { max(1, $0) } ?? 0)
    }

    /// Waits once for readiness or the timer and runs the handlers. Returns false on a fatal
    /// epoll error.
    public func runOnce() -> Bool {
        var fds = [Int32](repeating: 0, count: 64)
        var flags = [UInt32](repeating: 0, count: 64)
        let count = sitbreak_epoll_wait(epollFD, &fds, &flags, 64, -1)
        if count == -EINTR {
            onWake?()
            return true
        }
        guard count >= 0 else { return false }
        onWake?()
        for i in 0..<Int(count) {
            let fd = fds[i]
            if fd == timerFD {
                var expirations: UInt64 = 0
                _ = read(timerFD, &expirations, 8)
                timerHandler?()
                continue
            }
            // A handler may have removed this descriptor while handling an earlier one.
            guard let handler = handlers[fd] else { continue }
            handler(Readiness(readable: flags[i] & 1 != 0, writable: flags[i] & 2 != 0, hangUp: flags[i] & 4 != 0))
        }
        return true
    }
}
