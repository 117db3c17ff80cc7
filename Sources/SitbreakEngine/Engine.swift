/// The break engine: a pure state machine (DESIGN.md §2).
///
/// Timestamped inputs go in, events come out. It reads no clock and no file and never logs; the
/// live daemon and `sitbreakctl simulate` drive the same engine and differ only in where time and
/// inputs come from.
public struct Engine: Sendable {
    /// The schedule in force.
    public let schedule: Schedule
    /// Local time rules for active hours and day boundaries.
    public let timeZone: any LocalTimeZone

    /// Creates an engine; the person counts as absent until the first input.
    public init(schedule: Schedule, timeZone: any LocalTimeZone = FixedOffsetTimeZone.utc) {
        self.schedule = schedule
        self.timeZone = timeZone
    }

    /// Settles timed work up to and including `time`, then applies `input` at `time`.
    ///
    /// Several inputs at one instant are applied in call order; what they release fires when time
    /// next moves on (or at ``advance(through:)`` for the same instant).
    public mutating func apply(_ input: Input, at time: Timestamp) -> [Event] { [] }

    /// Settles everything due up to and including `time`.
    public mutating func advance(through time: Timestamp) -> [Event] { [] }

    /// Settles everything due strictly before `time` (a trace's `end`).
    public mutating func advance(before time: Timestamp) -> [Event] { [] }

    /// The next instant at which the engine has timed work, if any; the daemon sleeps until then.
    public var nextDeadline: Timestamp? { nil }

    /// Whether the engine was told of a suspend and not yet of the resume.
    public var isSuspended: Bool { false }
}
