/// A TOML value together with the line it starts on, so that validation can name the line of
/// every value it rejects, including each element of a multi-line array.
struct TOMLValue: Equatable, Sendable {
    /// What a value holds.
    ///
    /// Floats and date-times are kept as their source text: no key of the configuration takes
    /// one, so they only ever appear in error messages, and the text is what the person wrote.
    enum Content: Equatable, Sendable {
        case string(String)
        case integer(Int64)
        case boolean(Bool)
        case float(String)
        case dateTime(String)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    /// 1-based line on which the value starts.
    var line: Int
    /// The value itself.
    var content: Content

    init(line: Int, _ content: Content) {
        self.line = line
        self.content = content
    }

    /// The value as a person would recognise it in an error message: `the integer 50`,
    /// `the string "20 min"`, `an array`.
    var phrase: String {
        switch content {
        case .string(let text): "the string \(TOMLValue.quoted(text))"
        case .integer(let number): "the integer \(number)"
        case .boolean(let flag): "the boolean \(flag)"
        case .float(let text): "the float \(text)"
        case .dateTime(let text): "the date-time \(text)"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// `text` as a TOML basic string, so that error messages show strings the way they are
    /// written in the file (and control characters stay visible).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
