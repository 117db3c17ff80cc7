import SitbreakEngine
import SitbreakSystem

/// Something that answers one of the presence questions of DESIGN.md §5 (suspended? locked?
/// idle?) and feeds the answers to the engine as presence inputs.
///
/// A source registers its descriptors (a D-Bus connection, a child's pipe, a timer) with the
/// daemon's loop and calls `deliver` on the loop thread; it never blocks and never polls where
/// its subsystem can push. The daemon asks sources in order and re-chooses when one stops.
protocol PresenceSource: AnyObject {
    /// Shown by `sitbreakctl status` (e.g. "always-present", "logind LockedHint").
    var name: String { get }
    /// Starts watching; throws when the source is not available here (the next one is tried).
    func start(loop: EventLoop, deliver: @escaping (Presence) -> Void) throws(DaemonError)
    /// Stops watching and releases what it registered.
    func stop()
}

/// The fallback when nothing can tell whether the person is there: present from the start, so
/// reminders follow sitting time alone. Scripts may still feed presence through the socket.
final class AlwaysPresentSource: PresenceSource {
    let name = "always-present"

    func start(loop: EventLoop, deliver: @escaping (Presence) -> Void) throws(DaemonError) {
        deliver(.active)
    }

    func stop() {}
}
