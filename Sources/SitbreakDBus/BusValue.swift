/// A D-Bus value read from a message, whatever its signature: sources pattern-match on it
/// instead of walking containers by hand.
public indirect enum BusValue: Equatable, Sendable {
    /// `s`.
    case string(String)
    /// `o`.
    case objectPath(String)
    /// `g`.
    case signature(String)
    /// `b`.
    case bool(Bool)
    /// `y`, `n`, `i`, `x`: any signed or small integer.
    case int(Int64)
    /// `q`, `u`, `t`: unsigned integers.
    case uint(UInt64)
    /// `d`.
    case double(Double)
    /// `h`: a descriptor duplicated out of the message (the receiver owns and closes it).
    case fd(Int32)
    /// `a…` other than dictionaries.
    case array([BusValue])
    /// `a{…}`: entries in message order.
    case dictionary([(key: BusValue, value: BusValue)])
    /// `(…)`.
    case structure([BusValue])
    /// `v`.
    case variant(BusValue)

    public static func == (lhs: BusValue, rhs: BusValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)), (.objectPath(let a), .objectPath(let b)),
            (.signature(let a), .signature(let b)):
            a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.uint(let a), .uint(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.fd(let a), .fd(let b)): a == b
        case (.array(let a), .array(let b)), (.structure(let a), .structure(let b)): a == b
        case (.variant(let a), .variant(let b)): a == b
        case (.dictionary(let a), .dictionary(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The value inside any number of variants.
    public var unwrapped: BusValue {
        if case .variant(let inner) = self { return inner.unwrapped }
        return self
    }

    /// A string or object path.
    public var stringValue: String? {
        switch unwrapped {
        case .string(let text), .objectPath(let text), .signature(let text): text
        default: nil
        }
    }

    /// A boolean.
    public var boolValue: Bool? {
        if case .bool(let flag) = unwrapped { return flag }
        return nil
    }

    /// Any integer that fits in UInt64.
    public var uintValue: UInt64? {
        switch unwrapped {
        case .uint(let number): number
        case .int(let number) where number >= 0: UInt64(number)
        default: nil
        }
    }

    /// The elements of an array or structure.
    public var elements: [BusValue]? {
        switch unwrapped {
        case .array(let items), .structure(let items): items
        default: nil
        }
    }

    /// The value for a string key of an `a{sv}`-like dictionary.
    public subscript(key: String) -> BusValue? {
        guard case .dictionary(let entries) = unwrapped else { return nil }
        return entries.first { $0.key.stringValue == key }?.value.unwrapped
    }
}
