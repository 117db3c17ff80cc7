/// When ``SwayidleSource`` may try swayidle again after it exited or could not start: the
/// decisions, without a clock or a file system.
///
/// Retries back off (1 s, 2 s, 4 s … 60 s), and the back-off starts over once a child has run for
/// the longest delay, so a compositor restart after hours is noticed within a second while a
/// swayidle that keeps dying costs one start a minute.
///
/// A child that exits soon after it started failed on that compositor (no idle protocol, no seat):
/// starting it again on the same socket would fail the same way, and each start reports `active`,
/// which would end a real absence every minute. So after such an exit only a different socket
/// file (a restarted compositor) counts as the source reappearing.
struct SwayidleSupervision {
    /// The identity of a socket file: a compositor that restarts creates a new one at the same
    /// path. The change time is part of it because a file system may give a new file the inode
    /// number of one just removed.
    struct SocketIdentity: Equatable {
        /// `st_dev`.
        var device: UInt64
        /// `st_ino`.
        var inode: UInt64
        /// `st_ctim` in nanoseconds.
        var changed: Int64
    }

    static let second: Int64 = 1_000_000_000
    /// The first delay before looking again.
    static let minimumDelay: Int64 = second
    /// The longest delay between looks.
    static let maximumDelay: Int64 = 60 * second
    /// A child that exits within this long of its start failed on its compositor.
    static let earlyExit: Int64 = 5 * second

    /// The delay before the next look.
    private(set) var nextDelay = minimumDelay
    /// The socket on which a child exited early; nil when any socket may be tried.
    private(set) var refusedSocket: SocketIdentity?
    private var started: (at: Int64, socket: SocketIdentity?)?

    /// A child started at `now` on `socket`.
    mutating func childStarted(at now: Int64, socket: SocketIdentity?) {
        started = (now, socket)
        refusedSocket = nil
    }

    /// The child exited at `now`; returns how long it ran.
    @discardableResult
    mutating func childExited(at now: Int64) -> Int64 {
        guard let started else { return 0 }
        self.started = nil
        let ran = now - started.at
        if ran < Self.earlyExit { refusedSocket = started.socket }
        if ran >= Self.maximumDelay { nextDelay = Self.minimumDelay }
        return ran
    }

    /// The delay before the next look, doubling the one after it.
    mutating func takeDelay() -> Int64 {
        let delay = nextDelay
        nextDelay = min(nextDelay * 2, Self.maximumDelay)
        return delay
    }

    /// Whether a compositor's socket with this identity may be tried.
    func mayTry(_ socket: SocketIdentity) -> Bool { socket != refusedSocket }
}
