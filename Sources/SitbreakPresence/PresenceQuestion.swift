/// The questions presence sources answer (docs/design.md §5), each by its own chain of sources.
public enum PresenceQuestion: String, CaseIterable, Sendable, Hashable {
    /// Is the machine going to sleep or waking? (The clock gap is always watched on top.)
    case suspend
    /// Is the screen locked?
    case lock
    /// Is the person giving input?
    case idle
    /// Does an application hold an idle inhibitor (video, call)?
    case inhibit
}
