/// The rules of a local time zone, as the engine needs them: the offset from UTC at an instant.
///
/// The engine reads no time-zone database itself. The daemon and `sitbreakctl` pass one backed by
/// glibc's `localtime_r` (which honours `TZ`); tests pass hand-written rules.
public protocol LocalTimeZone: Sendable {
    /// Seconds east of UTC in force at `instant` (e.g. 3600 for CET, 7200 for CEST).
    func utcOffset(at instant: Timestamp) -> Seconds
}

/// A zone with one fixed offset and no clock changes; UTC by default.
public struct FixedOffsetTimeZone: LocalTimeZone {
    /// Seconds east of UTC.
    public var offset: Seconds

    /// Creates a zone `offset` seconds east of UTC.
    public init(offset: Seconds = 0) {
        self.offset = offset
    }

    /// Coordinated Universal Time.
    public static let utc = FixedOffsetTimeZone()

    public func utcOffset(at instant: Timestamp) -> Seconds { offset }
}
