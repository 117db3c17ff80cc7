/// One `NAME=value` field of a journal entry.
///
/// Names follow journald's rules: upper-case ASCII letters, digits and underscores, not starting
/// with a digit or an underscore (a leading underscore is reserved for fields journald itself
/// adds, and it drops such fields when a client sends them).
public struct JournalField: Hashable, Sendable, CustomStringConvertible {
    /// The field name, e.g. `SITBREAK_KIND`.
    public var name: String
    /// The value; any text, including line feeds (libsystemd then sends it in binary form).
    public var value: String

    /// Creates a field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// `NAME=value`, the form `sd_journal_sendv` takes.
    public var description: String { "\(name)=\(value)" }

    /// Whether `name` is one journald stores as the client sent it.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "_"), !(48...57).contains(first),
            name.utf8.count <= 64
        else { return false }
        return name.utf8.allSatisfy { byte in
            (65...90).contains(byte) || (48...57).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
