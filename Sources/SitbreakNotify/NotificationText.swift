import SitbreakEngine

/// The wording of notifications: durations a person reads, lists, markup escaping.
public enum NotificationText {
    /// `text` with the characters the Desktop Notifications markup gives meaning to escaped, for
    /// servers that announce `body-markup`.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A duration in words: `45 seconds`, `1 minute`, `52 minutes`, `2 hours 5 minutes`.
    public static func spoken(_ seconds: Seconds) -> String {
        func unit(_ n: Int64, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        if seconds < 60 { return unit(max(0, seconds), "second") }
        let minutes = seconds / 60
        if minutes < 60 { return unit(minutes, "minute") }
        let hours = minutes / 60
        return minutes % 60 == 0 ? unit(hours, "hour") : unit(hours, "hour") + " " + unit(minutes % 60, "minute")
    }

    /// A duration for a button: `30 s`, `10 min`, `1 h`, `1 h 30 min`.
    public static func short(_ seconds: Seconds) -> String {
        if seconds < 60 || seconds % 60 != 0 && seconds < 600 { return "\(seconds) s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        return minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min"
    }

    /// Names joined for a sentence: `walk`, `walk and posture`, `eyes, walk and posture`.
    public static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }

    /// What to type where a server has no buttons.
    public static func commands(kind: String, snooze: Bool = true) -> String {
        (snooze ? "Snooze: sitbreakctl snooze \(kind) · " : "") + "Skip: sitbreakctl skip \(kind) · "
            + "Done: sitbreakctl done \(kind)"
    }

    /// `reason` as a sentence: capitalized, with a full stop.
    public static func sentence(_ reason: String) -> String {
        guard let first = reason.first else { return reason }
        return first.uppercased() + reason.dropFirst() + (reason.hasSuffix(".") ? "" : ".")
    }
}
