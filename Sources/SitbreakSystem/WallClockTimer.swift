import CLinux
import Glibc

/// A one-shot CLOCK_REALTIME timerfd that a caller registers in an ``EventLoop`` with
/// ``EventLoop/add(_:writable:handler:)``.
///
/// The loop's own timer counts CLOCK_BOOTTIME and belongs to the daemon; a presence source whose
/// deadlines come from file times (a terminal's `st_atime` is wall-clock time) needs its own, on
/// the same clock as those times, so that "the access time plus the threshold" needs no
/// conversion between clocks.
public final class WallClockTimer {
    private let descriptor: FileDescriptor

    /// The timer's descriptor; readable when it has fired.
    public var fd: Int32 { descriptor.rawValue }

    /// Creates a disarmed timer.
    public init() throws(SystemError) {
        descriptor = try FileDescriptor(checking: sitbreak_timerfd_create_realtime(), "timerfd_create(CLOCK_REALTIME)")
    }

    /// Arms the timer for an absolute CLOCK_REALTIME instant in nanoseconds since the epoch (nil
    /// disarms). An instant already past fires at once.
    public func arm(realtimeNanoseconds: Int64?) {
        // 0 disarms a timerfd, so an instant at 0 (never in practice) is nudged to 1 ns.
        _ = sitbreak_timerfd_arm(fd, realtimeNanoseconds.map { max(1, $0) } ?? 0)
    }

    /// Consumes the expiration so the descriptor stops being readable.
    public func acknowledge() {
        var expirations: UInt64 = 0
        _ = read(fd, &expirations, 8)
    }
}
