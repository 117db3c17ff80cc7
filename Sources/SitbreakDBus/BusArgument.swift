/// An argument of a method call this daemon makes (only the basic types it needs).
public enum BusArgument: Sendable, Equatable {
    /// `s`.
    case string(String)
    /// `o`.
    case objectPath(String)
    /// `b`.
    case bool(Bool)
    /// `u`.
    case uint32(UInt32)
    /// `t`.
    case uint64(UInt64)
    /// `i`.
    case int32(Int32)
}
