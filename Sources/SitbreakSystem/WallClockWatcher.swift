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

    private let clock: FileDescriptor
    /// nil when the time-zone file's directory cannot be watched.
    private let zone: FileDescriptor?
    private weak var loop: EventLoop?

    /// Watches, calling `handler` on the loop after each change. `zoneFile` is the time-zone
    /// file to watch (default `/etc/localtime`); a missing directory only disables that half.
    public init(
        loop: EventLoop, zoneFile: String = "/etc/localtime", handler: @escaping (Change) -> Void
    ) throws(SystemError) {
        clock = try FileDescriptor(
            checking: sitbreak_clock_change_fd_create(), "timerfd_create(CLOCK_REALTIME, CANCEL_ON_SET)")
        let clockFD = clock.rawValue
        let slash = zoneFile.lastIndex(of: "/") ?? zoneFile.startIndex
        let directory = slash == zoneFile.startIndex ? "/" : String(zoneFile[..<slash])
        let name = String(zoneFile[zoneFile.index(after: slash)...])
        let zoneFD = sitbreak_zone_watch_create(directory)
        zone = zoneFD >= 0 ? FileDescriptor(zoneFD) : nil
        self.loop = loop
        do {
            try loop.add(clockFD) { _ in
                guard sitbreak_clock_change_fd_read(clockFD) == 1 else { return }
                _ = sitbreak_clock_change_fd_rearm(clockFD)
                handler(.clockSet)
            }
            if zoneFD >= 0 {
                try loop.add(zoneFD) { _ in
                    guard sitbreak_zone_watch_read(zoneFD, name) == 1 else { return }
                    tzset()
                    handler(.timeZone)
                }
            }
        } catch {
            loop.remove(clockFD)
            throw error
        }
    }

    deinit {
        loop?.remove(clock.rawValue)
        if let zone { loop?.remove(zone.rawValue) }
    }
}
