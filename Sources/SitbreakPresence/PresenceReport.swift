/// What a source tells the daemon, which turns it into an engine input.
///
/// Instants are CLOCK_BOOTTIME nanoseconds, the daemon's clock; a source converts whatever its
/// subsystem gives (X11's idle milliseconds, logind's monotonic microseconds) at its edge.
public enum PresenceReport: Equatable, Sendable {
    /// Input is happening now.
    case active
    /// No input since `lastInputBoottimeNanoseconds`. Sources report it once the quiet has lasted
    /// the idle threshold they were given (an idle watch firing, a poll), and the engine
    /// back-dates the absence to the last input.
    case idle(lastInputBoottimeNanoseconds: Int64)
    /// The screen was locked.
    case lock
    /// The screen was unlocked.
    case unlock
    /// The machine is about to sleep. The daemon saves its state before the call returns, so a
    /// source holding a sleep delay may release it right after.
    case suspend
    /// The machine woke.
    case resume
    /// An application took an idle inhibitor.
    case inhibit
    /// No idle inhibitor is held any more.
    case uninhibit
}
