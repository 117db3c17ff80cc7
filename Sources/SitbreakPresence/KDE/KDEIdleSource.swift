import Glibc
import SitbreakDBus
import SitbreakSystem

/// Idle from KDE's screen locker: `GetSessionIdleTime` of `org.freedesktop.ScreenSaver` on the
/// session bus (docs/design.md §5).
///
/// KDE's implementation (kscreenlocker) answers in milliseconds (KIdleTime's `idleTime()`) and
/// owns `org.kde.screensaver` beside the freedesktop name; the source requires both, since another
/// desktop's `GetSessionIdleTime` may count in seconds, and GNOME's (gnome-settings-daemon's
/// proxy) answers NotSupported, as KDE itself does on Wayland. Nothing pushes idle time here, so
/// it is polled adaptively with a ``LoopTimer`` of its own (the decisions are
/// ``SessionIdlePoller``'s).
public final class KDEIdleSource: PresenceSource {
    static let busName = "org.freedesktop.ScreenSaver"
    static let kdeName = "org.kde.screensaver"
    static let path = "/org/freedesktop/ScreenSaver"
    static let interface = "org.freedesktop.ScreenSaver"

    public let id = "kde"
    public let question = PresenceQuestion.idle
    public var description: String {
        guard let poller, let owner = service.owner else { return "KDE GetSessionIdleTime" }
        return "KDE GetSessionIdleTime (\(owner)), idle after \(ThresholdText.of(poller.thresholdNanoseconds)), "
            + "polled adaptively"
    }

    private let service = BusService()
    private var poller: SessionIdlePoller?
    private var timer: LoopTimer?
    private var context: PresenceContext?
    private let recheckNanoseconds: Int64?

    /// Creates the source; `recheck` (how often to look while idle) defaults to
    /// ``SessionIdlePoller/defaultRecheck(thresholdNanoseconds:)``.
    public init(recheckNanoseconds: Int64? = nil) {
        self.recheckNanoseconds = recheckNanoseconds
    }

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        let connection = try service.attach([Self.busName], context)
        let owner = service.owner ?? Self.busName
        let idle: UInt64
        do {
            idle = try Self.idleMilliseconds(connection, owner)
        } catch {
            service.refuseCurrentOwner()
            throw PresenceUnavailable(
                "\(Self.busName) (\(owner)) does not answer GetSessionIdleTime (GNOME's does not, nor KDE's on "
                    + "Wayland): \(BusService.reason(error))")
        }
        guard (try? BusService.owner(of: Self.kdeName, on: connection)) == owner else {
            service.refuseCurrentOwner()
            throw PresenceUnavailable(
                "\(Self.busName) (\(owner)) is not KDE's screen locker (\(Self.kdeName) is not its name), so the "
                    + "unit of its GetSessionIdleTime is unknown")
        }
        let timer: LoopTimer
        do {
            timer = try LoopTimer(loop: context.loop) { [weak self] in self?.look() }
        } catch {
            service.detach()
            throw PresenceUnavailable("\(error)")
        }
        do {
            try service.follow { [weak self] reason in self?.context?.lost(reason) }
        } catch {
            service.detach()
            throw error
        }
        self.timer = timer
        self.context = context
        poller = SessionIdlePoller(
            thresholdNanoseconds: context.idleThresholdNanoseconds, recheckNanoseconds: recheckNanoseconds)
        apply(idleMilliseconds: idle)
    }

    public func stop() {
        timer = nil
        poller = nil
        service.detach()
        context = nil
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        service.watchForAppearance([Self.busName], context, appeared: appeared)
    }

    public func stopWatching() {
        service.stopWatching()
    }

    public func machineResumed() {
        guard var poller, let connection = service.connection, let owner = service.owner,
            let idle = try? Self.idleMilliseconds(connection, owner)
        else { return }
        poller.machineResumed(
            now: SystemClock.boottimeNanoseconds(), idleNanoseconds: Int64(clamping: idle) * 1_000_000)
        self.poller = poller
        timer?.arm(after: poller.recheckNanoseconds)
    }

    private static func idleMilliseconds(_ connection: BusConnection, _ owner: String) throws(BusError) -> UInt64 {
        let reply = try connection.call(owner, path, interface, "GetSessionIdleTime")
        guard let idle = try reply.arguments().first?.uintValue else {
            throw BusError(
                operation: "GetSessionIdleTime on \(busName)", code: EBADMSG, message: "no idle time in the reply")
        }
        return idle
    }

    private func look() {
        guard let context, let connection = service.connection, let owner = service.owner else { return }
        do {
            apply(idleMilliseconds: try Self.idleMilliseconds(connection, owner))
        } catch {
            context.lost("GetSessionIdleTime failed: \(BusService.reason(error))")
        }
    }

    private func apply(idleMilliseconds: UInt64) {
        guard var poller, let context else { return }
        let decision = poller.look(
            now: SystemClock.boottimeNanoseconds(), idleNanoseconds: Int64(clamping: idleMilliseconds) * 1_000_000)
        self.poller = poller
        timer?.arm(boottimeNanoseconds: decision.nextLook)
        if let report = decision.report { context.report(report) }
    }
}
