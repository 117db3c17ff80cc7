import Glibc
import SitbreakEngine
import SitbreakSystem

/// Idle from a terminal's access time, for console and SSH users (docs/design.md §5): the kernel
/// updates a tty's `st_atime` when it is read, that is, at each keystroke.
///
/// No fixed tick: a wall-clock timerfd of its own, registered in the daemon's loop, is armed for
/// the instant the terminal would become idle (the decisions are ``TerminalIdleTracker``'s).
public final class TerminalIdleSource: PresenceSource {
    /// The terminal device watched (e.g. `/dev/pts/3`); nil: the controlling terminal of
    /// standard input, found at start.
    public private(set) var path: String?
    public let id = "terminal"
    public let question = PresenceQuestion.idle
    public var description: String { "terminal access time (\(path ?? "no terminal"))" }

    private var tracker: TerminalIdleTracker
    private var timer: WallClockTimer?
    private weak var loop: EventLoop?
    private var context: PresenceContext?
    private let recheckNanoseconds: Int64?

    /// Watches `path` (default: the controlling terminal), idle once the context's threshold
    /// passes without input, looking every `recheck` while idle (default: half the threshold).
    public init(path: String? = nil, recheckNanoseconds: Int64? = nil) {
        self.path = path
        self.recheckNanoseconds = recheckNanoseconds
        tracker = TerminalIdleTracker(thresholdNanoseconds: 1)
    }

    /// The terminal on standard input, if it is one (nil for a service started by systemd).
    public static func controllingTerminalPath() -> String? {
        guard let name = ttyname(0) else { return nil }
        return String(cString: name)
    }

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        if path == nil { path = Self.controllingTerminalPath() }
        guard let path else { throw PresenceUnavailable("standard input is not a terminal") }
        guard FileStatus.accessTimeNanoseconds(path) != nil else {
            throw PresenceUnavailable("cannot read the access time of the terminal \(path)")
        }
        let timer: WallClockTimer
        do {
            timer = try WallClockTimer()
            try context.loop.add(timer.fd) { [unowned self] _ in
                self.timer?.acknowledge()
                self.look()
            }
        } catch {
            throw PresenceUnavailable("\(error)")
        }
        tracker = TerminalIdleTracker(
            thresholdNanoseconds: context.idleThresholdNanoseconds, recheckNanoseconds: recheckNanoseconds)
        self.timer = timer
        self.loop = context.loop
        self.context = context
        look()
    }

    public func stop() {
        guard let timer else { return }
        loop?.remove(timer.fd)
        self.timer = nil
        context = nil
    }

    public func machineResumed() {
        guard let path, timer != nil, let accessTime = FileStatus.accessTimeNanoseconds(path) else { return }
        tracker.machineResumed(accessTime: min(accessTime, SystemClock.realtimeNanoseconds()))
        look()
    }

    private func look() {
        guard let path else { return }
        let now = SystemClock.realtimeNanoseconds()
        guard let accessTime = FileStatus.accessTimeNanoseconds(path) else {
            // The terminal went away (the SSH session ended): nobody will type there again.
            let context = self.context
            stop()
            context?.lost("the terminal \(path) is gone")
            return
        }
        let decision = tracker.check(now: now, accessTime: accessTime)
        timer?.arm(realtimeNanoseconds: decision.nextCheck)
        switch decision.deliver {
        case .active?: context?.report(.active)
        case .idle?:
            guard case .idle(let lastInput) = tracker.state else { return }
            // The access time is on the wall clock; reports are on CLOCK_BOOTTIME.
            let boottimeNow = SystemClock.boottimeNanoseconds()
            context?.report(.idle(lastInputBoottimeNanoseconds: boottimeNow - (now - lastInput)))
        default: break
        }
    }
}
