/// A change between sitting and absence, as the engine counts sitting time (docs/engine.md §2,
/// §6): the spans the day statistics and the history store are built from.
///
/// The engine records one each time it starts or stops counting sitting; take them with
/// ``Engine/takePresenceChanges()``. An absence is recorded when the engine learns of it, with the
/// instant it began (back-dated, §2.2): the sitting counted provisionally after that instant is
/// taken back. Before the first input the person is absent, so the first change is a `sitting`.
public enum PresenceChange: Hashable, Sendable {
    /// Sitting counts from `since` (an input ended an absence).
    case sitting(since: Timestamp)
    /// The engine learnt at `learnedAt` of an absence that began at `since` (at or before
    /// `learnedAt`, never before the sitting it ends began).
    case absent(since: Timestamp, learnedAt: Timestamp)

    /// The instant the change takes effect: when sitting started or the absence began.
    public var since: Timestamp {
        switch self {
        case .sitting(let since), .absent(let since, _): since
        }
    }

    /// The instant the engine learnt of the change (the input's, or the recognition's).
    public var learnedAt: Timestamp {
        switch self {
        case .sitting(let since): since
        case .absent(_, let learnedAt): learnedAt
        }
    }
}
