/// Byte classes and number syntax of TOML, on UTF-8 bytes.
enum TOMLByte {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\"")
    static let hash = UInt8(ascii: "#")
    static let apostrophe = UInt8(ascii: "'")
    static let comma = UInt8(ascii: ",")
    static let dot = UInt8(ascii: ".")
    static let colon = UInt8(ascii: ":")
    static let equals = UInt8(ascii: "=")
    static let openBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let underscore = UInt8(ascii: "_")

    /// C0 controls and DEL, which TOML forbids in comments and (except tab) in strings.
    static func isControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F
    }

    /// `U+0001` style name of a control character.
    static func unicodeName(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Bytes that can make up an undelimited value: a boolean, number or date-time. Scanning
    /// takes the whole run so that `20m` is reported whole rather than as `20` followed by junk.
    static func isBareValueByte(_ byte: UInt8) -> Bool {
        TOMLTable.isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == dot || byte == colon
    }

    /// `YYYY-MM-DD` at the start of `token`.
    static func looksLikeDate(_ token: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(token.prefix(10))
        guard bytes.count == 10 else { return false }
        for (index, byte) in bytes.enumerated() {
            let ok = index == 4 || index == 7 ? byte == UInt8(ascii: "-") : isDigit(byte)
            if !ok { return false }
        }
        return true
    }

    /// A TOML float: `[+-] int [. digits] [e [+-] digits]` with a fraction or an exponent.
    static func isFloat(_ token: ArraySlice<UInt8>) -> Bool {
        var rest = token[...]
        if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { rest = rest.dropFirst() }
        guard let integerEnd = digitRunEnd(rest) else { return false }
        let integerPart = rest[rest.startIndex..<integerEnd]
        if integerPart.count > 1 && integerPart.first == UInt8(ascii: "0") { return false }
        rest = rest[integerEnd...]
        var hasFraction = false
        if rest.first == dot {
            rest = rest.dropFirst()
            guard let end = digitRunEnd(rest) else { return false }
            rest = rest[end...]
            hasFraction = true
        }
        var hasExponent = false
        if let first = rest.first, first == UInt8(ascii: "e") || first == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest = rest.dropFirst() }
            guard let end = digitRunEnd(rest) else { return false }
            rest = rest[end...]
            hasExponent = true
        }
        return rest.isEmpty && (hasFraction || hasExponent)
    }

    /// The end of a run of decimal digits with single underscores between them, or nil when
    /// `bytes` does not start with one.
    private static func digitRunEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        digitRunEnd(bytes, isDigit: isDigit)
    }

    private static func digitRunEnd(_ bytes: ArraySlice<UInt8>, isDigit: (UInt8) -> Bool) -> Int? {
        var index = bytes.startIndex
        guard index < bytes.endIndex, isDigit(bytes[index]) else { return nil }
        index += 1
        while index < bytes.endIndex {
            if isDigit(bytes[index]) {
                index += 1
            } else if bytes[index] == underscore, index + 1 < bytes.endIndex, isDigit(bytes[index + 1]) {
                index += 2
            } else {
                break
            }
        }
        return index
    }

    /// The result of reading an integer token.
    enum IntegerResult: Equatable {
        case value(Int64)
        case outOfRange
        case invalid
    }

    /// A TOML integer: decimal with an optional sign and no leading zeros, or `0x`, `0o`, `0b`.
    static func integer(_ token: ArraySlice<UInt8>) -> IntegerResult {
        var rest = token[...]
        var negative = false
        var radix: Int64 = 10
        if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            rest = rest.dropFirst()
        } else if rest.count > 2, rest.first == UInt8(ascii: "0") {
            switch rest[rest.startIndex + 1] {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: break
            }
            if radix != 10 { rest = rest.dropFirst(2) }
        }
        let isDigitOfRadix: (UInt8) -> Bool = { byte in
            guard let value = hexDigitValue(byte) else { return false }
            return Int64(value) < radix
        }
        guard let end = digitRunEnd(rest, isDigit: isDigitOfRadix), end == rest.endIndex else { return .invalid }
        if radix == 10 && rest.count > 1 && rest.first == UInt8(ascii: "0") { return .invalid }
        // Accumulate negatively so that Int64.min is representable.
        var value: Int64 = 0
        for byte in rest where byte != underscore {
            let digit = Int64(hexDigitValue(byte)!)
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (next, overflow2) = shifted.subtractingReportingOverflow(digit)
            if overflow1 || overflow2 { return .outOfRange }
            value = next
        }
        if negative { return .value(value) }
        guard value != Int64.min else { return .outOfRange }
        return .value(-value)
    }
}
