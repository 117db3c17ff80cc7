/// A table under construction while the parser reads the file.
///
/// A reference type because `[a.b]` headers and dotted keys reach back into tables created
/// earlier; `origin` records how a table came to exist, which decides whether TOML allows it to
/// be defined again or extended.
final class TOMLTableBuilder {
    /// How a table came to exist.
    enum Origin {
        /// The document itself.
        case root
        /// Its own `[header]`: defining it again is a duplicate.
        case header
        /// A parent mentioned in a longer header (`breaks` in `[breaks.walk]`): it may still get
        /// its own header, once.
        case implicit
        /// A dotted key (`walk.every = …`): more dotted keys may extend it, a header may not.
        case dotted
        /// An inline table `{ … }`: sealed once its closing brace is read.
        case inline
    }

    /// What a key of the table holds.
    enum Slot {
        case value(TOMLValue, keyLine: Int)
        case table(TOMLTableBuilder)
    }

    var origin: Origin
    var line: Int
    private var order: [String] = []
    private var slots: [String: Slot] = [:]

    init(origin: Origin, line: Int) {
        self.origin = origin
        self.line = line
    }

    subscript(key: String) -> Slot? {
        slots[key]
    }

    /// Adds `key`; the parser has checked that it is new.
    func add(_ key: String, _ slot: Slot) {
        order.append(key)
        slots[key] = slot
    }

    /// The finished table, keys in the order they were first defined.
    func build() -> TOMLTable {
        let entries = order.map { key -> TOMLTable.Entry in
            switch slots[key]! {
            case .value(let value, let keyLine):
                return TOMLTable.Entry(key: key, line: keyLine, value: value)
            case .table(let table):
                return TOMLTable.Entry(
                    key: key, line: table.line, value: TOMLValue(line: table.line, .table(table.build())))
            }
        }
        return TOMLTable(line: line, entries: entries)
    }
}
