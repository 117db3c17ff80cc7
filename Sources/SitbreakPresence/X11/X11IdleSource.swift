import SitbreakSystem

/// Idle on an X11 display (docs/design.md §5): the MIT-SCREEN-SAVER extension's idle time, with
/// libX11 and libXss loaded at run time, so the daemon runs where no X library is installed.
///
/// Pushed, not polled: XSync alarms on the server's IDLETIME counter, at the threshold, send an
/// event on the X connection when the idle time rises through it and when input brings it back
/// below (what GNOME's X11 idle monitor did); the connection is in the daemon's loop, so the
/// daemon sleeps while the person types and while they are away. A server without XSync is
/// polled adaptively instead (``X11IdleTracker`` decides). The server hanging up is `lost`.
public final class X11IdleSource: PresenceSource {
    public let id = "x11"
    public let question = PresenceQuestion.idle
    public let environmentVariables: Set<String> = ["DISPLAY", "WAYLAND_DISPLAY"]
    public var description: String {
        let display = connection?.displayName ?? "no display"
        if let pollReason {
            return "X11 MIT-SCREEN-SAVER on \(display), polled (\(pollReason))"
        }
        return "X11 MIT-SCREEN-SAVER on \(display), XSync IDLETIME alarms"
    }

    private let usesAlarms: Bool
    private var connection: X11Connection?
    private var tracker = X11IdleTracker(thresholdNanoseconds: 1, mode: .alarms)
    private var timer: LoopTimer?
    private weak var loop: EventLoop?
    private var context: PresenceContext?
    /// Why the source polls rather than being pushed, when it does.
    private var pollReason: String?
    /// After a resume the alarms sit just above the idle time read then, so that the next input
    /// (the idle time falling back) is pushed; they return to the threshold at that input.
    private var watchingForInputAfterResume = false

    /// Creates the source; `usesAlarms: false` polls even where the server has XSync (the
    /// fallback, for tests: Xvfb cannot turn XSync off).
    public init(usesAlarms: Bool = true) {
        self.usesAlarms = usesAlarms
    }

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        guard let displayName = context.environment["DISPLAY"], !displayName.isEmpty else {
            throw PresenceUnavailable("DISPLAY is not set")
        }
        if let wayland = context.environment["WAYLAND_DISPLAY"], !wayland.isEmpty {
            // Xwayland's idle time counts only input to X11 windows: a person typing in a
            // Wayland window would look idle.
            throw PresenceUnavailable(
                "WAYLAND_DISPLAY is set: the X server \(displayName) is Xwayland, which sees only input to X11 windows")
        }
        let connection = try X11Connection(displayName: displayName)
        let thresholdMilliseconds = UInt64(max(1, context.idleThresholdNanoseconds / 1_000_000))
        let pollReason =
            usesAlarms
            ? connection.setIdleAlarms(thresholdMilliseconds: thresholdMilliseconds) : "idle alarms turned off"
        let timer: LoopTimer
        do {
            try context.loop.add(connection.fd) { [unowned self] _ in self.serviceConnection() }
            timer = try LoopTimer(loop: context.loop) { [unowned self] in self.lookAndDrain() }
        } catch {
            context.loop.remove(connection.fd)
            throw PresenceUnavailable("cannot watch the X connection: \(error)")
        }
        let mode: X11IdleTracker.Mode =
            pollReason == nil
            ? .alarms
            : .polling(
                recheckNanoseconds: X11IdleTracker.defaultRecheck(
                    thresholdNanoseconds: context.idleThresholdNanoseconds))
        tracker = X11IdleTracker(thresholdNanoseconds: context.idleThresholdNanoseconds, mode: mode)
        self.connection = connection
        self.pollReason = pollReason
        self.timer = timer
        self.loop = context.loop
        self.context = context
        if let pollReason { context.log("no idle alarms on \(displayName), polling: \(pollReason)") }
        lookAndDrain()
    }

    public func stop() {
        guard let connection else { return }
        loop?.remove(connection.fd)
        self.connection = nil
        timer = nil
        context = nil
    }

    /// The X connection is readable: alarms (each one a reason to look), or the server hung up.
    private func serviceConnection() {
        while let connection {
            guard let alarms = connection.dispatch() else {
                lose("the X server \(connection.displayName) closed the connection")
                return
            }
            guard alarms > 0 else { return }
            // A look's round trip may read further events into Xlib's buffer: loop over them.
            look()
            guard self.connection != nil, self.connection!.hasQueuedEvents else { return }
        }
    }

    /// Looks, then consumes the events the look's round trip read along with its reply.
    private func lookAndDrain() {
        look()
        if connection?.hasQueuedEvents == true { serviceConnection() }
    }

    private func look() {
        guard let connection else { return }
        let before = SystemClock.boottimeNanoseconds()
        guard let idle = connection.idleMilliseconds() else {
            lose("the X server \(connection.displayName) closed the connection")
            return
        }
        // The server read its clock during the round trip: its midpoint is the best estimate.
        let now = (before + SystemClock.boottimeNanoseconds()) / 2
        let decision = tracker.look(now: now, idleNanoseconds: Int64(clamping: idle) * 1_000_000)
        timer?.arm(boottimeNanoseconds: decision.nextLook)
        if watchingForInputAfterResume, decision.deliver == .active {
            watchingForInputAfterResume = false
            _ = connection.setIdleAlarms(
                thresholdMilliseconds: UInt64(max(1, tracker.thresholdNanoseconds / 1_000_000)))
        }
        if let report = decision.deliver { context?.report(report) }
    }

    public func machineResumed() {
        guard let connection, let idle = connection.idleMilliseconds() else { return }
        let now = SystemClock.boottimeNanoseconds()
        tracker.machineResumed(now: now, idleNanoseconds: Int64(clamping: idle) * 1_000_000)
        let threshold = UInt64(max(1, tracker.thresholdNanoseconds / 1_000_000))
        if pollReason == nil, idle + 100 < threshold {
            // Input before the threshold would not cross the alarms at the threshold.
            watchingForInputAfterResume = connection.setIdleAlarms(thresholdMilliseconds: idle + 100) == nil
        }
        lookAndDrain()
    }

    private func lose(_ reason: String) {
        let context = self.context
        stop()
        context?.lost(reason)
    }
}
