/// A number of seconds: the unit of every duration in the engine and in the configuration.
public typealias Seconds = Int64

/// An instant on the engine's timeline, in whole seconds since the Unix epoch (UTC).
///
/// The engine never reads a clock: every instant comes from its caller. The simulator takes them
/// from trace lines; the live daemon maps a clock that keeps counting through suspend onto this
/// timeline. Whole seconds keep the simulator and the daemon exactly comparable.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64

    /// Creates an instant from seconds since the Unix epoch.
    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// An instant before anything the engine will ever see; used for "never" in comparisons.
    public static let distantPast = Timestamp(secondsSinceEpoch: Int64.min / 4)

    /// An instant after anything the engine will ever see.
    public static let distantFuture = Timestamp(secondsSinceEpoch: Int64.max / 4)

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// The instant `rhs` seconds after `lhs`.
    public static func + (lhs: Timestamp, rhs: Seconds) -> Timestamp {
        Timestamp(secondsSinceEpoch: lhs.secondsSinceEpoch + rhs)
    }

    /// The instant `rhs` seconds before `lhs`.
    public static func - (lhs: Timestamp, rhs: Seconds) -> Timestamp {
        Timestamp(secondsSinceEpoch: lhs.secondsSinceEpoch - rhs)
    }

    /// The seconds from `rhs` to `lhs`.
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Seconds {
        lhs.secondsSinceEpoch - rhs.secondsSinceEpoch
    }

    /// RFC 3339 in UTC, e.g. `2026-11-30T09:50:00Z`.
    public var description: String { rfc3339 }
}
