import CLinux
import Glibc

/// Tells when the wall clock or the local time zone changes, without polling: a CLOCK_REALTIME
/// timerfd armed with `TFD_TIMER_CANCEL_ON_SET` (the kernel cancels it whenever the clock is set:
/// an NTP step, `date -s`, `timedatectl set-time`) and inotify on the directory holding
/// `/etc/localtime` (`timedatectl set-timezone` replaces that link).
///
/// A slewed clock (NTP's gradual adjustment) is not a change: it never jumps.
public final class WallClockWatcher {
    /// What changed.
    public enum Change: Sendable, Equatable {
        /// The wall clock was set.
        case clockSet
        /// The time-zone file changed; glibc has re-read it (`tzset`) before the handler runs.
        case timeZone
    }

    private let clockFD: Int32
    private let zoneFD: Int32
    private weak var loop: EventLoop?

    /// Watches, calling `handler` on the loop after each change. `zoneFile` is the time-zone
    /// file to watch (default `/etc/localtime`); a missing directory only disables that half.
    public init(
        loop: EventLoop, zoneFile: String = "/etc/localtime", handler: @escaping (Change) -> Void
    ) throws(SystemError) {
        let clock = sitbreak_clock_change_fd_create()
        guard clock >= 0 else { throw SystemError("timerfd_create(CLOCK_REALTIME, CANCEL_ON_SET)", code: -clock) }
        clockFD = clock
        let slash = zoneFile.lastIndex(of: "/") ?? zoneFile.startIndex
        let directory = slash == zoneFile.startIndex ? "/" : String(zoneFile[..<slash])
        let name = String(zoneFile[zoneFile.index(after: slash)...])
        zoneFD = sitbreak_zone_watch_create(directory)
        self.loop = loop
        do {
            try loop.add(clockFD) { [clockFD] _ in
                guard sitbreak_clock_change_fd_read(clockFD) == 1 else { return }
                _ = sitbreak_clock_change_fd_rearm(clockFD)
                handler(.clockSet)
            }
            if zoneFD >= 0 {
                try loop.add(zoneFD) { [zoneFD] _ in
                    guard sitbreak_zone_watch_read(zoneFD, name) == 1 else { return }
                    tzset()
                    handler(.timeZone)
                }
            }
        } catch {
            loop.remove(clockFD)
            close(clockFD)
            if zoneFD >= 0 { close(zoneFD) }
            throw error
        }
    }

    deinit {
        loop?.remove(clockFD)
        close(clockFD)
        if zoneFD >= 0 {
            loop?.remove(zoneFD)
            close(zoneFD)
        }
    }
}
