extension Event {
    /// The event as one line of JSON (no trailing newline), fields in a fixed order:
    /// `time`, `event`, then the event's own fields. Deterministic byte for byte.
    public var jsonLine: String {
        var out = "{\"time\":\"\(time.rfc3339)\",\"event\":\"\(name)\""
        func field(_ key: String, _ value: String) {
            out.append(",\"\(key)\":")
            out.append(value)
        }
        switch body {
        case .reminder(let r):
            field("kind", JSON.string(r.kind))
            field("nag", String(r.nag))
            field("sitting_s", String(r.sittingSeconds))
            field("covers", "[" + r.covers.map(JSON.string).joined(separator: ",") + "]")
            field("message", JSON.string(r.message))
            field("suggestion", JSON.string(r.suggestion))
        case .breakTaken(let kind, let natural, let manual, let away):
            field("kind", JSON.string(kind))
            field("natural", String(natural))
            field("manual", String(manual))
            field("away_s", String(away))
        case .snoozed(let kind, let until):
            field("kind", JSON.string(kind))
            field("until", JSON.string(until.rfc3339))
        case .skipped(let kind):
            field("kind", JSON.string(kind))
        case .refused(let command, let kind, let reason):
            field("command", JSON.string(command))
            if let kind { field("kind", JSON.string(kind)) }
            field("reason", JSON.string(reason))
        case .paused(let until):
            field("until", JSON.string(until.rfc3339))
        case .resumed:
            break
        case .dailyLimit(let sitting):
            field("sitting_s", String(sitting))
        case .away(let since):
            field("since", JSON.string(since.rfc3339))
        case .back(let away):
            field("away_s", String(away))
        }
        out.append("}")
        return out
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
