extension Event {
    /// The event as one line of JSON (no trailing newline), fields in a fixed order:
    /// `time`, `event`, then the event's own ``fields``. Deterministic byte for byte.
    public var jsonLine: String {
        var out = "{\"time\":\"\(time.rfc3339)\",\"event\":\"\(name)\""
        for field in fields {
            out.append(",\"\(field.name)\":")
            out.append(field.value.jsonText)
        }
        out.append("}")
        return out
    }
}

extension Event.Value {
    /// The value as JSON text.
    public var jsonText: String {
        switch self {
        case .name(let text), .text(let text): JSON.string(text)
        case .integer(let n), .seconds(let n): String(n)
        case .flag(let flag): String(flag)
        case .time(let instant): JSON.string(instant.rfc3339)
        case .names(let names): "[" + names.map(JSON.string).joined(separator: ",") + "]"
        }
    }
}

/// Minimal JSON text helpers: the engine's events need strings, numbers and booleans only.
public enum JSON {
    /// `text` as a JSON string literal, quoted and escaped.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
        return out
    }
}
