import SitbreakEngine

/// Reads the `[hooks]` table into ``HookPreferences``: one argv list per event type, plus
/// `timeout` and `max_running`; every error names the file, the line and the key.
struct HooksDecoder {
    /// The file as the user named it, for messages.
    let file: String

    /// The longest `timeout` accepted: a hook is a short action, not a service.
    static let maximumTimeout: Seconds = 3600
    /// The most hooks `max_running` may allow at once.
    static let maximumRunning = 64

    func decode(_ root: TOMLTable) throws(ConfigError) -> HookPreferences {
        guard let table = try root.section("hooks", file: file) else { return HookPreferences() }
        let keys = EventType.allCases.map(\.name) + HookPreferences.settingKeys
        var preferences = HookPreferences()
        for item in table.entries {
            let key = "hooks." + item.key
            let value = item.value
            switch item.key {
            case "timeout":
                guard case .string(let text) = value.content, let seconds = DurationText.parse(text), seconds > 0,
                    seconds <= Self.maximumTimeout
                else {
                    throw fail(
                        value, key, "\(value.phrase) is not a timeout; use a duration from 1s to 1h such as \"10s\"")
                }
                preferences.timeoutSeconds = seconds
            case "max_running":
                guard case .integer(let count) = value.content, count >= 1, count <= Int64(Self.maximumRunning) else {
                    throw fail(
                        value, key,
                        "\(value.phrase) is not a count of hooks; use an integer from 1 to \(Self.maximumRunning)")
                }
                preferences.maxRunning = Int(count)
            default:
                guard let type = EventType(name: item.key) else {
                    throw .unknownKey(
                        file: file, line: item.line, key: key, name: item.key, candidates: keys,
                        valid: "the event types " + EventType.allCases.map(\.name).joined(separator: ", ")
                            + ", and " + HookPreferences.settingKeys.joined(separator: ", "))
                }
                preferences.commands[type] = try command(value, key: key)
            }
        }
        return preferences
    }

    /// An argv list: a non-empty array of strings, the first naming the program.
    private func command(_ value: TOMLValue, key: String) throws(ConfigError) -> [String] {
        let advice =
            "write the program and its arguments as a list, e.g. [\"paplay\", \"/usr/share/sounds/freedesktop/stereo/bell.oga\"] (no shell)"
        guard case .array(let items) = value.content, !items.isEmpty else {
            throw fail(value, key, "\(value.phrase) is not a command; " + advice)
        }
        var argv: [String] = []
        for item in items {
            guard case .string(let text) = item.content, !text.contains("\0") else {
                throw fail(item, key, "\(item.phrase) is not an argument; " + advice)
            }
            argv.append(text)
        }
        guard !argv[0].isEmpty else { throw fail(items[0], key, "the program is empty; " + advice) }
        return argv
    }

    private func fail(_ value: TOMLValue, _ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: value.line, key: key, message: message)
    }
}
