import SitbreakDBus
import SitbreakSystem

/// What a started source is given: the loop to register with, the settings it needs, and where
/// to send its reports. Every closure must be called on the loop thread.
public struct PresenceContext {
    /// The daemon's event loop.
    public let loop: EventLoop
    /// How long without input before an idle source reports `idle` (the engine's
    /// `idle_threshold`), in nanoseconds.
    public let idleThresholdNanoseconds: Int64
    /// The daemon's environment (DISPLAY, WAYLAND_DISPLAY, XDG_RUNTIME_DIR, …).
    public let environment: [String: String]
    /// The daemon's shared D-Bus connections, opened on first use.
    public let buses: BusProvider
    /// Sends a report to the engine. Reports of a source that is not in use are dropped.
    public let report: (PresenceReport) -> Void
    /// Says the source stopped working (the compositor exited, the name vanished): the chain
    /// stops it and chooses again. The reason is shown in status and logged.
    public let lost: (String) -> Void
    /// Logs something worth a journal line (a child restarted, a watch re-armed).
    public let log: (String) -> Void

    /// Creates a context.
    public init(
        loop: EventLoop, idleThresholdNanoseconds: Int64, environment: [String: String], buses: BusProvider,
        report: @escaping (PresenceReport) -> Void, lost: @escaping (String) -> Void,
        log: @escaping (String) -> Void
    ) {
        self.loop = loop
        self.idleThresholdNanoseconds = idleThresholdNanoseconds
        self.environment = environment
        self.buses = buses
        self.report = report
        self.lost = lost
        self.log = log
    }
}
