import Glibc
import SitbreakEngine
import SitbreakSystem

/// Idle from a terminal's access time, for console and SSH users (DESIGN.md §5): the kernel
/// updates a tty's `st_atime` when it is read, that is, at each keystroke.
///
/// No fixed tick: a wall-clock timerfd of its own, registered in the daemon's loop, is armed for
/// the instant the terminal would become idle (the decisions are ``TerminalIdleTracker``'s).
final class TerminalIdleSource: PresenceSource {
    /// The terminal device watched (e.g. `/dev/pts/3`).
    let path: String
    var name: String { "terminal access time (\(path))" }

    private var tracker: TerminalIdleTracker
    private var timer: WallClockTimer?
    private weak var loop: EventLoop?
    private var deliver: ((Presence) -> Void)?

    /// Watches `path`, idle after `threshold` nanoseconds without input (see
    /// ``TerminalIdleTracker/thresholdNanoseconds`` for why this is short), looking every
    /// `recheck` while idle.
    init(path: String, thresholdNanoseconds: Int64, recheckNanoseconds: Int64? = nil) {
        self.path = path
        tracker = TerminalIdleTracker(
            thresholdNanoseconds: thresholdNanoseconds, recheckNanoseconds: recheckNanoseconds)
    }

    /// The terminal on standard input, if it is one (nil for a service started by systemd).
    static func controllingTerminalPath() -> String? {
        guard let name = ttyname(0) else { return nil }
        return String(cString: name)
    }

    func start(loop: EventLoop, deliver: @escaping (Presence) -> Void) throws(DaemonError) {
        guard FileStatus.accessTimeNanoseconds(path) != nil else {
            throw .setup("cannot read the access time of the terminal \(path)")
        }
        let timer: WallClockTimer
        do {
            timer = try WallClockTimer()
            try loop.add(timer.fd) { [unowned self] _ in
                self.timer?.acknowledge()
                self.look()
            }
        } catch {
            throw .system(error)
        }
        self.timer = timer
        self.loop = loop
        self.deliver = deliver
        look()
    }

    func stop() {
        guard let timer else { return }
        loop?.remove(timer.fd)
        self.timer = nil
        deliver = nil
    }

    private func look() {
        let now = SystemClock.realtimeNanoseconds()
        guard let accessTime = FileStatus.accessTimeNanoseconds(path) else {
            // The terminal went away (the SSH session ended): nobody will type there again, and the
            // engine must not keep believing input is ongoing.
            if case .active = tracker.state { deliver?(.idle) }
            stop()
            return
        }
        let decision = tracker.check(now: now, accessTime: accessTime)
        timer?.arm(realtimeNanoseconds: decision.nextCheck)
        if let presence = decision.deliver { deliver?(presence) }
    }
}
