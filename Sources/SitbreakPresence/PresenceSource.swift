import SitbreakSystem

/// Something that answers one of the presence questions of docs/design.md §5 (suspended? locked?
/// idle? inhibited?) and reports the answers for the engine.
///
/// A source registers its descriptors (a D-Bus connection, a child's pipe, a timer) with the
/// daemon's loop and reports on the loop thread; it never blocks for long and never polls where
/// its subsystem can push. A ``PresenceChain`` asks the sources of each question in order, uses
/// the first that starts, and re-chooses when the one in use is lost or one ranked above it
/// appears.
public protocol PresenceSource: AnyObject {
    /// The name used in `[presence]` and by `sitbreakctl status`, e.g. `x11`, `mutter`.
    var id: String { get }
    /// The question this source answers.
    var question: PresenceQuestion { get }
    /// What exactly it watches, once started, e.g. `X11 MIT-SCREEN-SAVER on :5`.
    var description: String { get }
    /// Starts watching and reports what it knows at once (an idle source reports `active` or
    /// `idle`). Throws, having registered nothing, when the source cannot work here.
    func start(_ context: PresenceContext) throws(PresenceUnavailable)
    /// Stops watching and releases everything it registered; it may be started again later.
    func stop()
    /// The machine woke from a suspend. The engine now counts the person as away until the next
    /// input, so an idle source must report `active` at the next input even if it had reported
    /// `active` before the sleep (and must not take input from before the sleep as new). The
    /// default does nothing, which suits sources that do not answer idle.
    func machineResumed()
    /// Watches, while not in use, for the source becoming available (a D-Bus name gaining an
    /// owner, a compositor's socket appearing) and calls `appeared` then. Returns false when the
    /// source cannot tell, which is the default.
    func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool
    /// Stops what ``watchForAppearance(_:appeared:)`` registered.
    func stopWatching()
    /// The environment variables ``start(_:)`` reads to find what it watches (`DISPLAY`): when
    /// the desktop session changes one of them, the chain restarts the source if it is in use.
    /// Empty by default.
    var environmentVariables: Set<String> { get }
}

extension PresenceSource {
    /// By default a resume changes nothing for the source.
    public func machineResumed() {}
    /// By default a source cannot tell when it appears.
    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool { false }
    /// By default there is nothing to stop.
    public func stopWatching() {}
    /// By default a source reads no environment variable.
    public var environmentVariables: Set<String> { [] }
}

/// Why a source cannot work here, in words for `sitbreakctl status` and the journal, e.g.
/// `DISPLAY is not set` or `the X server :5 has no MIT-SCREEN-SAVER extension`.
public struct PresenceUnavailable: Error, Equatable, CustomStringConvertible, Sendable {
    /// The reason, without the source's name.
    public var reason: String

    /// Creates the error.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
