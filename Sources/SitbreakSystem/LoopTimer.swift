import CLinux
import Glibc

/// A one-shot CLOCK_BOOTTIME timer of its own, registered in an ``EventLoop``: for presence
/// sources that must wake at an instant (an adaptive idle poll, a child's restart back-off)
/// without touching the loop's own timer, which belongs to the daemon's engine deadlines.
public final class LoopTimer {
    private let descriptor: FileDescriptor
    private weak var loop: EventLoop?

    /// Creates a disarmed timer in `loop`; `handler` runs on the loop each time it fires.
    public init(loop: EventLoop, handler: @escaping () -> Void) throws(SystemError) {
        descriptor = try FileDescriptor(checking: sitbreak_timerfd_create(), "timerfd_create(CLOCK_BOOTTIME)")
        self.loop = loop
        let fd = descriptor.rawValue
        try loop.add(fd) { _ in
            var expirations: UInt64 = 0
            _ = read(fd, &expirations, 8)
            handler()
        }
    }

    deinit {
        loop?.remove(descriptor.rawValue)
    }

    /// Arms the timer for an absolute CLOCK_BOOTTIME instant in nanoseconds (nil disarms). An
    /// instant already past fires at once.
    public func arm(boottimeNanoseconds: Int64?) {
        // 0 disarms a timerfd, so an instant at 0 (never in practice) is nudged to 1 ns.
        _ = sitbreak_timerfd_arm(descriptor.rawValue, boottimeNanoseconds.map { max(1, $0) } ?? 0)
    }

    /// Arms the timer `nanoseconds` from now.
    public func arm(after nanoseconds: Int64) {
        arm(boottimeNanoseconds: SystemClock.boottimeNanoseconds() + max(1, nanoseconds))
    }
}
