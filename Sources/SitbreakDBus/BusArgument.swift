/// An argument of a method call this process makes: the basic types, and the few containers
/// the calls need (`as`, `a{sv}` for the Desktop Notifications hints).
public indirect enum BusArgument: Sendable, Equatable {
    /// `s`.
    case string(String)
    /// `o`.
    case objectPath(String)
    /// `b`.
    case bool(Bool)
    /// `y`.
    case byte(UInt8)
    /// `u`.
    case uint32(UInt32)
    /// `t`.
    case uint64(UInt64)
    /// `i`.
    case int32(Int32)
    /// `as`.
    case strings([String])
    /// `a{sv}`: each value wrapped in a variant of its own type (a basic type).
    case properties([Property])

    /// One entry of an `a{sv}` argument.
    public struct Property: Sendable, Equatable {
        /// The key.
        public var name: String
        /// The value (a basic type: it goes into a variant).
        public var value: BusArgument

        /// Creates an entry.
        public init(_ name: String, _ value: BusArgument) {
            self.name = name
            self.value = value
        }
    }

    /// The D-Bus signature of the argument.
    public var signature: String {
        switch self {
        case .string: "s"
        case .objectPath: "o"
        case .bool: "b"
        case .byte: "y"
        case .uint32: "u"
        case .uint64: "t"
        case .int32: "i"
        case .strings: "as"
        case .properties: "a{sv}"
        }
    }
}
