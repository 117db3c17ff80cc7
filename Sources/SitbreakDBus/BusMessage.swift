import CSystemd
import Glibc

/// A received D-Bus message (a reply or a signal): owns one reference to the `sd_bus_message`.
public final class BusMessage {
    let handle: OpaquePointer

    /// Takes over a reference the caller already holds.
    init(adopting handle: OpaquePointer) {
        self.handle = handle
    }

    /// Takes a new reference to a message libsystemd lends to a callback.
    init(borrowing handle: OpaquePointer) {
        self.handle = sd_bus_message_ref(handle)
    }

    deinit {
        sd_bus_message_unref(handle)
    }

    /// The signal's or method's member name.
    public var member: String? { sd_bus_message_get_member(handle).map { String(cString: $0) } }
    /// The object path.
    public var path: String? { sd_bus_message_get_path(handle).map { String(cString: $0) } }
    /// The interface.
    public var interface: String? { sd_bus_message_get_interface(handle).map { String(cString: $0) } }
    /// The sender's unique name.
    public var sender: String? { sd_bus_message_get_sender(handle).map { String(cString: $0) } }

    /// Every argument from the read position on, decoded whatever the signature. Descriptors are
    /// duplicated: the caller owns each `.fd` and must close it.
    public func arguments() throws(BusError) -> [BusValue] {
        var values: [BusValue] = []
        while let value = try next() { values.append(value) }
        return values
    }

    /// The next value, or nil at the end of the current container.
    private func next() throws(BusError) -> BusValue? {
        var type: CChar = 0
        var contents: UnsafePointer<CChar>? = nil
        let more = try BusError.check(sd_bus_message_peek_type(handle, &type, &contents), "reading a D-Bus message")
        guard more > 0 else { return nil }
        let code = UInt8(bitPattern: type)
        switch code {
        case UInt8(ascii: "a"), UInt8(ascii: "r"), UInt8(ascii: "v"), UInt8(ascii: "e"):
            try BusError.check(sd_bus_message_enter_container(handle, type, contents), "entering a D-Bus container")
            var items: [BusValue] = []
            while let item = try next() { items.append(item) }
            try BusError.check(sd_bus_message_exit_container(handle), "leaving a D-Bus container")
            switch code {
            case UInt8(ascii: "v"): return .variant(items.first ?? .structure([]))
            case UInt8(ascii: "r"), UInt8(ascii: "e"): return .structure(items)
            default:
                if let contents, contents.pointee == CChar(UInt8(ascii: "{")) {
                    return .dictionary(
                        items.map { entry in
                            let pair = entry.elements ?? []
                            return (pair.first ?? .structure([]), pair.count > 1 ? pair[1] : .structure([]))
                        })
                }
                return .array(items)
            }
        default:
            return try basic(type)
        }
    }

    private func basic(_ type: CChar) throws(BusError) -> BusValue {
        func read<T: BitwiseCopyable>(_ initial: T) throws(BusError) -> T {
            var value = initial
            try BusError.check(sd_bus_message_read_basic(handle, type, &value), "reading a D-Bus value")
            return value
        }
        switch UInt8(bitPattern: type) {
        case UInt8(ascii: "s"), UInt8(ascii: "o"), UInt8(ascii: "g"):
            let pointer: UnsafePointer<CChar>? = try read(nil)
            let text = pointer.map { String(cString: $0) } ?? ""
            switch UInt8(bitPattern: type) {
            case UInt8(ascii: "o"): return .objectPath(text)
            case UInt8(ascii: "g"): return .signature(text)
            default: return .string(text)
            }
        case UInt8(ascii: "b"): return .bool(try read(Int32(0)) != 0)
        case UInt8(ascii: "y"): return .uint(UInt64(try read(UInt8(0))))
        case UInt8(ascii: "n"): return .int(Int64(try read(Int16(0))))
        case UInt8(ascii: "q"): return .uint(UInt64(try read(UInt16(0))))
        case UInt8(ascii: "i"): return .int(Int64(try read(Int32(0))))
        case UInt8(ascii: "u"): return .uint(UInt64(try read(UInt32(0))))
        case UInt8(ascii: "x"): return .int(try read(Int64(0)))
        case UInt8(ascii: "t"): return .uint(try read(UInt64(0)))
        case UInt8(ascii: "d"): return .double(try read(Double(0)))
        case UInt8(ascii: "h"):
            let borrowed = try read(Int32(-1))
            // The message owns its descriptor and closes it with the message.
            return .fd(fcntl(borrowed, F_DUPFD_CLOEXEC, 3))
        default:
            throw BusError(
                operation: "reading a D-Bus value of type \(Character(Unicode.Scalar(UInt8(bitPattern: type))))",
                code: EINVAL)
        }
    }
}
