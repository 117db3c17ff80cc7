import Glibc
import SitbreakDBus
import SitbreakSystem

/// Idle from GNOME Mutter's idle monitor (`org.gnome.Mutter.IdleMonitor` on the session bus), the
/// first idle source on GNOME, X11 and Wayland alike (docs/design.md §5).
///
/// Push only, no polling: Mutter fires an idle watch when the idle time reaches the threshold and
/// a user-active watch at the next input (the decisions are ``MutterWatchPlan``'s). The daemon
/// wakes once per transition and never in between. Calls and the `WatchFired` match go to the
/// owner's unique name and the real object path, so no other process can fake a firing, and watch
/// ids of a previous Mutter (a restarted gnome-shell) are never mistaken for current ones: when
/// the name changes hands the source is lost and started again, registering its watches anew.
public final class MutterIdleSource: PresenceSource {
    static let busName = "org.gnome.Mutter.IdleMonitor"
    static let path = "/org/gnome/Mutter/IdleMonitor/Core"
    static let interface = "org.gnome.Mutter.IdleMonitor"

    public let id = "mutter"
    public let question = PresenceQuestion.idle
    public var description: String {
        guard let plan, let owner = service.owner else { return "Mutter IdleMonitor" }
        return "Mutter IdleMonitor watches (\(owner)), idle after \(ThresholdText.of(plan.thresholdNanoseconds))"
    }

    private let service = BusService()
    private var plan: MutterWatchPlan?
    private var watchMatch: BusMatch?
    private var context: PresenceContext?

    /// Creates the source; nothing connects before ``start(_:)``.
    public init() {}

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        let connection = try service.attach([Self.busName], context)
        let owner = service.owner ?? Self.busName
        var plan = MutterWatchPlan(thresholdNanoseconds: context.idleThresholdNanoseconds)
        let steps: [MutterWatchPlan.Step]
        do throws(BusError) {
            // The match comes first: a watch may fire as soon as it exists.
            watchMatch = try connection.match(
                BusConnection.signalRule(
                    sender: owner, path: Self.path, interface: Self.interface, member: "WatchFired")
            ) { [weak self] message in
                self?.watchFired(message)
            }
            let reply = try connection.call(owner, Self.path, Self.interface, "GetIdletime")
            guard let idle = try reply.arguments().first?.uintValue else {
                throw BusError(
                    operation: "GetIdletime on \(Self.busName)", code: EBADMSG, message: "no idle time in the reply")
            }
            steps = plan.start(idleMilliseconds: idle)
            // Watches first, reports after: a failure leaves nothing reported.
            for case .add(let watch) in steps { try add(watch, to: &plan, on: connection, owner: owner) }
        } catch {
            abandon(plan, on: connection, owner: owner)
            service.refuseCurrentOwner()
            throw PresenceUnavailable("\(Self.busName) (\(owner)) does not work: \(BusService.reason(error))")
        }
        do {
            try service.follow { [weak self] reason in self?.context?.lost(reason) }
        } catch {
            abandon(plan, on: connection, owner: owner)
            service.detach()
            throw error
        }
        self.plan = plan
        self.context = context
        for case .report(let report) in steps { context.report(report) }
    }

    /// Undoes a start that failed half-way.
    private func abandon(_ plan: MutterWatchPlan, on connection: BusConnection, owner: String) {
        removeWatches(plan.watches, on: connection, owner: owner)
        watchMatch?.cancel()
        watchMatch = nil
    }

    public func stop() {
        watchMatch?.cancel()
        watchMatch = nil
        // The owner may be gone already (that is often why the source stops): errors change nothing.
        if let plan, let connection = service.connection, let owner = service.owner {
            removeWatches(plan.watches, on: connection, owner: owner)
        }
        service.detach()
        plan = nil
        context = nil
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        service.watchForAppearance([Self.busName], context, appeared: appeared)
    }

    public func stopWatching() {
        service.stopWatching()
    }

    // MARK: - Watches

    private func watchFired(_ message: BusMessage) {
        guard let watch = try? message.arguments().first?.uintValue, let id = UInt32(exactly: watch) else { return }
        guard var plan else { return }
        let steps = plan.fired(id, now: SystemClock.boottimeNanoseconds())
        self.plan = plan
        perform(steps)
    }

    public func machineResumed() {
        guard var plan else { return }
        let steps = plan.machineResumed(now: SystemClock.boottimeNanoseconds())
        self.plan = plan
        perform(steps)
    }

    /// Reports, then registers the watches `steps` ask for; a watch that cannot be registered
    /// loses the source (the next transition would go unseen).
    private func perform(_ steps: [MutterWatchPlan.Step]) {
        guard var plan, let context, let connection = service.connection, let owner = service.owner else { return }
        for case .report(let report) in steps { context.report(report) }
        for case .add(let kind) in steps {
            do {
                try add(kind, to: &plan, on: connection, owner: owner)
                self.plan = plan
            } catch {
                context.lost("registering the \(kind == .idle ? "idle" : "user-active") watch failed: \(error)")
                return
            }
        }
    }

    private func add(
        _ watch: MutterWatchPlan.Watch, to plan: inout MutterWatchPlan, on connection: BusConnection, owner: String
    ) throws(BusError) {
        let reply: BusMessage
        switch watch {
        case .idle:
            // Mutter counts in milliseconds; a zero interval is refused.
            let milliseconds = UInt64(max(1, plan.thresholdNanoseconds / 1_000_000))
            reply = try connection.call(owner, Self.path, Self.interface, "AddIdleWatch", [.uint64(milliseconds)])
        case .userActive:
            reply = try connection.call(owner, Self.path, Self.interface, "AddUserActiveWatch")
        }
        guard let id = try reply.arguments().first?.uintValue.flatMap({ UInt32(exactly: $0) }) else {
            throw BusError(operation: "adding a watch on \(Self.busName)", code: EBADMSG, message: "no watch id")
        }
        plan.added(watch, id: id)
    }

    private func removeWatches(_ watches: [UInt32], on connection: BusConnection, owner: String) {
        for watch in watches {
            _ = try? connection.call(owner, Self.path, Self.interface, "RemoveWatch", [.uint32(watch)])
        }
    }
}
