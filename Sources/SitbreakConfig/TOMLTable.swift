/// A parsed TOML table: its keys in file order, each with the line where it was defined.
///
/// File order matters: break kinds exist in the order the file defines them, and validation
/// reports the first error from the top.
struct TOMLTable: Equatable, Sendable {
    /// One `key = value` (or sub-table) of a table.
    struct Entry: Equatable, Sendable {
        /// The key, unquoted.
        var key: String
        /// The line of the key; for a sub-table, the line of its `[header]` or first mention.
        var line: Int
        /// The value.
        var value: TOMLValue
    }

    /// The line of the table's `[header]`, or of its first mention when it has none.
    var line: Int
    /// The entries in the order they appear in the file.
    var entries: [Entry]

    /// The entry for `key`, if the table has one.
    subscript(key: String) -> Entry? {
        entries.first { $0.key == key }
    }

    /// A dotted key path as it would be written in TOML: bare parts as they are, other parts
    /// quoted (`breaks."my walk".every`).
    static func keyPath(_ parts: some Sequence<String>) -> String {
        parts.map { part in
            let isBare = !part.isEmpty && part.utf8.allSatisfy(TOMLTable.isBareKeyByte)
            return isBare ? part : TOMLValue.quoted(part)
        }.joined(separator: ".")
    }

    /// Whether `byte` may appear in a bare key: `A-Z a-z 0-9 _ -`.
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
