/// An idle threshold in words for a source's description: `120 s`, or `1500 ms` when it is not a
/// whole number of seconds.
enum ThresholdText {
    /// `nanoseconds` as seconds or milliseconds.
    static func of(_ nanoseconds: Int64) -> String {
        nanoseconds % 1_000_000_000 == 0 ? "\(nanoseconds / 1_000_000_000) s" : "\(nanoseconds / 1_000_000) ms"
    }
}
