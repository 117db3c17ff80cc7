/// A small, strict TOML 1.0 parser for the configuration file.
///
/// Our own rather than a library so that every key and value keeps its line for error
/// messages, and so that the daemon carries neither Foundation nor a C++ TOML library within its
/// memory budget (docs/design.md §7). It covers what a person writes in a configuration: comments,
/// bare, quoted and dotted keys, `[table]` headers, all four string forms, integers, booleans,
/// arrays and inline tables. Floats and date-times are recognised so that validation can say
/// which key wanted what instead of reporting a syntax error; arrays of tables (`[[x]]`) are
/// refused because the configuration has no use for them.
///
/// It works on UTF-8 bytes: every structural character is ASCII, so slicing between them never
/// splits a character.
struct TOMLParser {
    private let file: String
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1
    private let root = TOMLTableBuilder(origin: .root, line: 1)
    private var current: TOMLTableBuilder
    private var currentPath: [String] = []
    /// How many arrays enclose the value being parsed.
    private var arrayDepth = 0

    /// How deep keys, tables and arrays may nest: a value's depth is the number of keys on its
    /// path (`[a.b]` then `c.d = 1` is 4) plus the arrays around it.
    ///
    /// The configuration's own keys need 3 (`breaks.walk.suggestions` holds an array: 4). The
    /// limit keeps parsing and the release of the parsed tables, which both recurse once per level,
    /// far from the stack's end, and dotted keys linear: a file of 40,000 dotted parts stops at
    /// the 17th with an error instead of crashing.
    static let maximumDepth = 16

    /// Parses `text`; `file` names it in errors.
    static func parse(_ text: String, file: String) throws(ConfigError) -> TOMLTable {
        // Files read from disk are checked while reading; text from elsewhere is checked here.
        guard text.utf8.count <= ConfigLoader.maximumFileSize else { throw ConfigLoader.tooLarge(file: file) }
        var parser = TOMLParser(file: file, bytes: Array(text.utf8))
        try parser.parseDocument()
        return parser.root.build()
    }

    private init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
        self.current = root
    }

    // MARK: - Lines

    private mutating func parseDocument() throws(ConfigError) {
        // Editors on some systems start UTF-8 files with a byte-order mark; it is not content.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        while pos < bytes.count {
            skipBlanks()
            switch peek() {
            case nil:
                return
            case TOMLByte.hash, TOMLByte.newline, TOMLByte.carriageReturn:
                try endOfLine(after: "")
            case TOMLByte.openBracket:
                let header = try parseHeader()
                try endOfLine(after: " after [\(TOMLTable.keyPath(header))]")
            default:
                let key = try parseKeyValue(into: current, prefix: currentPath)
                try endOfLine(after: " after the value of \(TOMLTable.keyPath(currentPath + key))")
            }
        }
    }

    /// Consumes blanks, an optional comment and the line's end; anything else is an error
    /// whose message ends with `context`.
    private mutating func endOfLine(after context: String) throws(ConfigError) {
        skipBlanks()
        if peek() == TOMLByte.hash { try skipComment() }
        if skipLineBreak() { return }
        switch peek() {
        case nil:
            return
        case TOMLByte.carriageReturn:
            throw error("a carriage return must be followed by a newline; save the file with Unix or Windows line ends")
        default:
            throw error("unexpected \(foundText())\(context); put each key = value on its own line")
        }
    }

    private mutating func skipComment() throws(ConfigError) {
        while let byte = peek(), byte != TOMLByte.newline, byte != TOMLByte.carriageReturn {
            if TOMLByte.isControl(byte) && byte != TOMLByte.tab {
                throw error("control character \(TOMLByte.unicodeName(byte)) in a comment; remove it")
            }
            pos += 1
        }
    }

    // MARK: - Tables and keys

    private mutating func parseHeader() throws(ConfigError) -> [String] {
        let headerLine = line
        pos += 1
        if peek() == TOMLByte.openBracket {
            throw error("arrays of tables ([[...]]) are not supported; use one [table] per name, e.g. [breaks.walk]")
        }
        skipBlanks()
        let parts = try parseKey(prefix: [], depth: 0)
        skipBlanks()
        guard peek() == TOMLByte.closeBracket else {
            throw error("expected ']' after table name \"\(TOMLTable.keyPath(parts))\", found \(foundText())")
        }
        pos += 1

        var table = root
        for index in parts.indices {
            let path = parts[...index]
            let isLast = index == parts.count - 1
            switch table[parts[index]] {
            case nil:
                let created = TOMLTableBuilder(origin: isLast ? .header : .implicit, line: headerLine)
                table.add(parts[index], .table(created))
                table = created
            case .table(let existing):
                if isLast {
                    // A table named only as the parent of an earlier header may get its own
                    // header once; any other earlier definition makes this one a duplicate.
                    guard existing.origin == .implicit else {
                        throw duplicate(path, firstLine: existing.line, headerLine)
                    }
                    existing.origin = .header
                    existing.line = headerLine
                }
                table = existing
            case .value(_, let keyLine):
                throw duplicate(path, firstLine: keyLine, headerLine)
            }
        }
        current = table
        currentPath = parts
        return parts
    }

    /// Parses `key = value` and stores it in `table`; returns the key's parts.
    private mutating func parseKeyValue(into table: TOMLTableBuilder, prefix: [String]) throws(ConfigError) -> [String]
    {
        let keyLine = line
        let parts = try parseKey(prefix: prefix, depth: prefix.count + arrayDepth)
        skipBlanks()
        guard peek() == TOMLByte.equals else {
            throw error("expected '=' after key \"\(TOMLTable.keyPath(parts))\"")
        }
        pos += 1
        skipBlanks()
        let value = try parseValue(key: prefix + parts)
        try insert(value, at: parts, in: table, prefix: prefix, keyLine: keyLine)
        return parts
    }

    private func insert(
        _ value: TOMLValue, at parts: [String], in start: TOMLTableBuilder, prefix: [String], keyLine: Int
    ) throws(ConfigError) {
        var table = start
        for index in parts.indices.dropLast() {
            let path = prefix + parts[...index]
            switch table[parts[index]] {
            case nil:
                let created = TOMLTableBuilder(origin: .dotted, line: keyLine)
                table.add(parts[index], .table(created))
                table = created
            case .table(let existing) where existing.origin == .dotted:
                table = existing
            case .table(let existing):
                // TOML lets dotted keys extend only tables that dotted keys created.
                throw duplicate(path, firstLine: existing.line, keyLine)
            case .value(_, let firstLine):
                throw duplicate(path, firstLine: firstLine, keyLine)
            }
        }
        let last = parts[parts.count - 1]
        switch table[last] {
        case nil:
            table.add(last, .value(value, keyLine: keyLine))
        case .table(let existing):
            throw duplicate(prefix + parts, firstLine: existing.line, keyLine)
        case .value(_, let firstLine):
            throw duplicate(prefix + parts, firstLine: firstLine, keyLine)
        }
    }

    /// A dotted key: simple keys separated by `.`, blanks allowed around the dots.
    ///
    /// `prefix` is the path of the table the key is in, `depth` how deep the key starts (that
    /// path and the arrays around it); a key reaching deeper than `maximumDepth` is refused at
    /// the first part too many, so a long one costs no more than a short one.
    private mutating func parseKey(prefix: [String], depth: Int) throws(ConfigError) -> [String] {
        var parts: [String] = []
        while true {
            parts.append(try parseSimpleKey())
            if depth + parts.count > TOMLParser.maximumDepth {
                throw ConfigError(
                    file: file, line: line, key: TOMLTable.keyPath(prefix + parts),
                    message: "a key or table nested more than \(TOMLParser.maximumDepth) levels deep; "
                        + "nest at most \(TOMLParser.maximumDepth) levels (sitbreak's keys need 3, e.g. breaks.walk.every)"
                )
            }
            skipBlanks()
            guard peek() == TOMLByte.dot else { return parts }
            pos += 1
            skipBlanks()
        }
    }

    private mutating func parseSimpleKey() throws(ConfigError) -> String {
        switch peek() {
        case TOMLByte.quote:
            if peek(1) == TOMLByte.quote && peek(2) == TOMLByte.quote {
                throw error("a key cannot be a multi-line string; use \"key\" or a bare key")
            }
            return try parseBasicString()
        case TOMLByte.apostrophe:
            if peek(1) == TOMLByte.apostrophe && peek(2) == TOMLByte.apostrophe {
                throw error("a key cannot be a multi-line string; use 'key' or a bare key")
            }
            return try parseLiteralString()
        case let byte? where TOMLTable.isBareKeyByte(byte):
            let start = pos
            while let byte = peek(), TOMLTable.isBareKeyByte(byte) { pos += 1 }
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        default:
            throw error("expected a key, found \(foundText()); keys use letters, digits, '_' and '-', or quotes")
        }
    }

    // MARK: - Values

    private mutating func parseValue(key: [String]) throws(ConfigError) -> TOMLValue {
        let startLine = line
        switch peek() {
        case TOMLByte.quote:
            if peek(1) == TOMLByte.quote && peek(2) == TOMLByte.quote {
                return TOMLValue(line: startLine, .string(try parseMultiLineBasicString()))
            }
            return TOMLValue(line: startLine, .string(try parseBasicString()))
        case TOMLByte.apostrophe:
            if peek(1) == TOMLByte.apostrophe && peek(2) == TOMLByte.apostrophe {
                return TOMLValue(line: startLine, .string(try parseMultiLineLiteralString()))
            }
            return TOMLValue(line: startLine, .string(try parseLiteralString()))
        case TOMLByte.openBracket:
            return TOMLValue(line: startLine, .array(try parseArray(key: key)))
        case TOMLByte.openBrace:
            return TOMLValue(line: startLine, .table(try parseInlineTable(key: key)))
        default:
            return TOMLValue(line: startLine, try parseBareValue(key: key))
        }
    }

    /// Booleans, integers, floats and date-times: everything written without delimiters.
    private mutating func parseBareValue(key: [String]) throws(ConfigError) -> TOMLValue.Content {
        let start = pos
        while let byte = peek(), TOMLByte.isBareValueByte(byte) { pos += 1 }
        // A date and a time may be separated by a space (`1979-05-27 07:32:00`).
        if TOMLByte.looksLikeDate(bytes[start..<pos]), peek() == TOMLByte.space, let next = peek(1),
            TOMLByte.isDigit(next)
        {
            pos += 1
            while let byte = peek(), TOMLByte.isBareValueByte(byte) { pos += 1 }
        }
        let token = bytes[start..<pos]
        let text = String(decoding: token, as: UTF8.self)
        let keyText = TOMLTable.keyPath(key)
        if token.isEmpty {
            throw error("expected a value after \"\(keyText) =\", found \(foundText())")
        }
        switch text {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf", "-inf", "nan", "+nan", "-nan": return .float(text)
        default: break
        }
        if let first = token.first, TOMLByte.isDigit(first),
            token.contains(TOMLByte.colon) || TOMLByte.looksLikeDate(token)
        {
            return .dateTime(text)
        }
        if TOMLByte.isFloat(token) { return .float(text) }
        switch TOMLByte.integer(token) {
        case .value(let number):
            return .integer(number)
        case .outOfRange:
            throw ConfigError(
                file: file, line: line, key: keyText,
                message: "\(text) is out of range; use a whole number between \(Int64.min) and \(Int64.max)")
        case .invalid:
            throw ConfigError(
                file: file, line: line, key: keyText,
                message: "\(text) is not a valid value; put text in quotes: \(TOMLValue.quoted(text))")
        }
    }

    private mutating func parseArray(key: [String]) throws(ConfigError) -> [TOMLValue] {
        let startLine = line
        try enterArray(key: key)
        pos += 1
        var items: [TOMLValue] = []
        while true {
            try skipBlanksCommentsAndNewlines()
            guard let byte = peek() else { throw unterminatedArray(key, startLine) }
            if byte == TOMLByte.closeBracket {
                pos += 1
                break
            }
            items.append(try parseValue(key: key))
            try skipBlanksCommentsAndNewlines()
            switch peek() {
            case nil:
                throw unterminatedArray(key, startLine)
            case TOMLByte.comma:
                pos += 1
            case TOMLByte.closeBracket:
                pos += 1
                arrayDepth -= 1
                return items
            default:
                throw error("expected ',' or ']' in the array of \(TOMLTable.keyPath(key)), found \(foundText())")
            }
        }
        arrayDepth -= 1
        return items
    }

    private func unterminatedArray(_ key: [String], _ startLine: Int) -> ConfigError {
        ConfigError(
            file: file, line: startLine, key: TOMLTable.keyPath(key),
            message: "the array is never closed; end it with ]")
    }

    private mutating func parseInlineTable(key: [String]) throws(ConfigError) -> TOMLTable {
        // Its keys count towards the depth (parseKey), so it needs no check of its own.
        let table = TOMLTableBuilder(origin: .inline, line: line)
        pos += 1
        skipBlanks()
        if peek() == TOMLByte.closeBrace {
            pos += 1
            return table.build()
        }
        while true {
            skipBlanks()
            try checkInlineTableContinues()
            _ = try parseKeyValue(into: table, prefix: key)
            skipBlanks()
            switch peek() {
            case TOMLByte.comma:
                pos += 1
                skipBlanks()
                if peek() == TOMLByte.closeBrace {
                    throw error("trailing comma in the inline table \(TOMLTable.keyPath(key)); remove it")
                }
            case TOMLByte.closeBrace:
                pos += 1
                return table.build()
            default:
                try checkInlineTableContinues()
                throw error("expected ',' or '}' in the inline table \(TOMLTable.keyPath(key)), found \(foundText())")
            }
        }
    }

    private func checkInlineTableContinues() throws(ConfigError) {
        switch peek() {
        case nil, TOMLByte.newline, TOMLByte.carriageReturn, TOMLByte.hash:
            throw error("an inline table { ... } must end on the line it starts; close it with } or use a [table]")
        default:
            return
        }
    }

    private mutating func enterArray(key: [String]) throws(ConfigError) {
        arrayDepth += 1
        if key.count + arrayDepth > TOMLParser.maximumDepth {
            throw ConfigError(
                file: file, line: line, key: TOMLTable.keyPath(key),
                message: "arrays nested more than \(TOMLParser.maximumDepth) levels deep "
                    + "(counting the key's parts); nest at most \(TOMLParser.maximumDepth) levels")
        }
    }

    // MARK: - Strings

    private mutating func parseBasicString() throws(ConfigError) -> String {
        pos += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek(), byte != TOMLByte.newline, byte != TOMLByte.carriageReturn else {
                throw error(
                    "the string is never closed; end it with \" on the same line (or use \"\"\" for several lines)")
            }
            switch byte {
            case TOMLByte.quote:
                pos += 1
                return String(decoding: out, as: UTF8.self)
            case TOMLByte.backslash:
                try parseEscape(into: &out)
            default:
                try appendStringByte(byte, to: &out)
            }
        }
    }

    private mutating func parseMultiLineBasicString() throws(ConfigError) -> String {
        let startLine = openMultiLine()
        var out: [UInt8] = []
        while true {
            let byte = try multiLineByte(openedOn: startLine, TOMLByte.quote)
            switch byte {
            case TOMLByte.quote:
                if let text = try closeMultiLine(TOMLByte.quote, &out) { return text }
            case TOMLByte.backslash:
                if lineEndingBackslash() {
                    // A backslash at the end of a line joins the lines, dropping the whitespace.
                    pos += 1
                    while let next = peek(),
                        next == TOMLByte.space || next == TOMLByte.tab || next == TOMLByte.newline
                            || (next == TOMLByte.carriageReturn && peek(1) == TOMLByte.newline)
                    {
                        if next == TOMLByte.newline { line += 1 }
                        pos += 1
                    }
                } else {
                    try parseEscape(into: &out)
                }
            default:
                try appendMultiLineByte(byte, to: &out)
            }
        }
    }

    private mutating func parseLiteralString() throws(ConfigError) -> String {
        pos += 1
        let start = pos
        while true {
            guard let byte = peek(), byte != TOMLByte.newline, byte != TOMLByte.carriageReturn else {
                throw error("the string is never closed; end it with ' on the same line (or use ''' for several lines)")
            }
            if byte == TOMLByte.apostrophe {
                let text = String(decoding: bytes[start..<pos], as: UTF8.self)
                pos += 1
                return text
            }
            if TOMLByte.isControl(byte) && byte != TOMLByte.tab {
                throw error("control character \(TOMLByte.unicodeName(byte)) in a string; remove it")
            }
            pos += 1
        }
    }

    private mutating func parseMultiLineLiteralString() throws(ConfigError) -> String {
        let startLine = openMultiLine()
        var out: [UInt8] = []
        while true {
            let byte = try multiLineByte(openedOn: startLine, TOMLByte.apostrophe)
            if byte == TOMLByte.apostrophe {
                if let text = try closeMultiLine(TOMLByte.apostrophe, &out) { return text }
            } else {
                if TOMLByte.isControl(byte) && byte != TOMLByte.tab && byte != TOMLByte.newline
                    && byte != TOMLByte.carriageReturn
                {
                    throw error("control character \(TOMLByte.unicodeName(byte)) in a string; remove it")
                }
                try appendMultiLineByte(byte, to: &out)
            }
        }
    }

    /// The next byte of a multi-line string opened on `startLine` by three `delimiter`s; at the
    /// end of the document, the error naming that line and the closing delimiter.
    private func multiLineByte(openedOn startLine: Int, _ delimiter: UInt8) throws(ConfigError) -> UInt8 {
        guard let byte = peek() else {
            let closing = String(repeating: Character(Unicode.Scalar(delimiter)), count: 3)
            throw ConfigError(
                file: file, line: startLine, key: nil,
                message: "the multi-line string is never closed; end it with \(closing)")
        }
        return byte
    }

    /// At a run of `delimiter`s inside a multi-line string: three or more close it (up to two
    /// more belong to the content, as TOML allows), fewer are content.
    private mutating func closeMultiLine(_ delimiter: UInt8, _ out: inout [UInt8]) throws(ConfigError) -> String? {
        var run = 0
        while peek(run) == delimiter { run += 1 }
        pos += run
        if run < 3 {
            out.append(contentsOf: repeatElement(delimiter, count: run))
            return nil
        }
        if run > 5 {
            throw error("too many quotes at the end of a multi-line string; escape the extra ones")
        }
        out.append(contentsOf: repeatElement(delimiter, count: run - 3))
        return String(decoding: out, as: UTF8.self)
    }

    /// Steps over a multi-line string's opening delimiter and a line break right after it (which
    /// TOML leaves out of the string); returns the line the string opened on, for errors.
    private mutating func openMultiLine() -> Int {
        let startLine = line
        pos += 3
        _ = skipLineBreak()
        return startLine
    }

    /// Steps over the line break at the position (`\n` or `\r\n`) and counts the line; false,
    /// moving nothing, where there is none.
    private mutating func skipLineBreak() -> Bool {
        if peek() == TOMLByte.newline {
            pos += 1
        } else if peek() == TOMLByte.carriageReturn && peek(1) == TOMLByte.newline {
            pos += 2
        } else {
            return false
        }
        line += 1
        return true
    }

    private func lineEndingBackslash() -> Bool {
        var offset = 1
        while peek(offset) == TOMLByte.space || peek(offset) == TOMLByte.tab { offset += 1 }
        return peek(offset) == TOMLByte.newline
            || (peek(offset) == TOMLByte.carriageReturn && peek(offset + 1) == TOMLByte.newline)
    }

    /// Appends `byte`, the one at the position, to a multi-line string's content.
    private mutating func appendMultiLineByte(_ byte: UInt8, to out: inout [UInt8]) throws(ConfigError) {
        if skipLineBreak() {
            // Content lines end in \n whatever the file's line ends are.
            out.append(TOMLByte.newline)
        } else {
            try appendStringByte(byte, to: &out)
        }
    }

    private mutating func appendStringByte(_ byte: UInt8, to out: inout [UInt8]) throws(ConfigError) {
        if TOMLByte.isControl(byte) && byte != TOMLByte.tab {
            throw error(
                "control character \(TOMLByte.unicodeName(byte)) in a string; write it as an escape such as \\t or \\n")
        }
        out.append(byte)
        pos += 1
    }

    /// At a backslash in a basic string: appends the escaped character.
    private mutating func parseEscape(into out: inout [UInt8]) throws(ConfigError) {
        pos += 1
        guard let byte = peek() else {
            throw error("the string is never closed; end it with \"")
        }
        pos += 1
        switch byte {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(TOMLByte.tab)
        case UInt8(ascii: "n"): out.append(TOMLByte.newline)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(TOMLByte.carriageReturn)
        case TOMLByte.quote: out.append(TOMLByte.quote)
        case TOMLByte.backslash: out.append(TOMLByte.backslash)
        case UInt8(ascii: "u"): try appendUnicodeEscape(digits: 4, into: &out)
        case UInt8(ascii: "U"): try appendUnicodeEscape(digits: 8, into: &out)
        default:
            pos -= 1
            throw error(
                "invalid escape \\\(foundCharacter()) in a string; "
                    + "use \\\" \\\\ \\n \\t \\uXXXX, or write the character itself"
            )
        }
    }

    private mutating func appendUnicodeEscape(digits: Int, into out: inout [UInt8]) throws(ConfigError) {
        let letter = digits == 4 ? "u" : "U"
        var value: UInt32 = 0
        for offset in 0..<digits {
            guard let byte = peek(offset), let digit = TOMLByte.hexDigitValue(byte) else {
                throw error(
                    "\\\(letter) must be followed by \(digits) hexadecimal digits, "
                        + "e.g. \\\(letter)\(String(repeating: "0", count: digits - 2))E9"
                )
            }
            value = value * 16 + UInt32(digit)
        }
        let hex = String(decoding: bytes[pos..<pos + digits], as: UTF8.self)
        pos += digits
        guard let scalar = Unicode.Scalar(value) else {
            throw error(
                "\\\(letter)\(hex) is not a Unicode character; use a code point outside D800–DFFF and at most 10FFFF")
        }
        UTF8.encode(scalar) { out.append($0) }
    }

    // MARK: - Low level

    private func peek(_ offset: Int = 0) -> UInt8? {
        pos + offset < bytes.count ? bytes[pos + offset] : nil
    }

    private mutating func skipBlanks() {
        while peek() == TOMLByte.space || peek() == TOMLByte.tab { pos += 1 }
    }

    /// Inside arrays, where values may spread over lines with comments between them.
    private mutating func skipBlanksCommentsAndNewlines() throws(ConfigError) {
        while true {
            skipBlanks()
            if peek() == TOMLByte.hash {
                try skipComment()
            } else if !skipLineBreak() {
                return
            }
        }
    }

    /// The character at the current position, for messages.
    private func foundCharacter() -> String {
        guard let byte = peek() else { return "" }
        let length =
            switch byte {
            case 0xF0...: 4
            case 0xE0...: 3
            case 0xC0...: 2
            default: 1
            }
        return String(decoding: bytes[pos..<min(pos + length, bytes.count)], as: UTF8.self)
    }

    /// What stands at the current position, for "found …" in messages.
    private func foundText() -> String {
        switch peek() {
        case nil: "the end of the file"
        case TOMLByte.newline, TOMLByte.carriageReturn: "the end of the line"
        case let byte? where TOMLByte.isControl(byte): "control character \(TOMLByte.unicodeName(byte))"
        default: "'\(foundCharacter())'"
        }
    }

    private func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, key: nil, message: message)
    }

    private func duplicate(_ path: some Sequence<String>, firstLine: Int, _ line: Int) -> ConfigError {
        let name = TOMLTable.keyPath(path)
        return ConfigError(
            file: file, line: line, key: name,
            message: "defined twice (first at line \(firstLine)); keep one definition of \(name)")
    }
}
