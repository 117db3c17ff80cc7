import SitbreakEngine

/// Reads the `[notify]` table into ``NotifyPreferences``, every error naming the file, the line
/// and the key: `config.toml:40: notify.urgency: "loud" is not an urgency; use low, normal or critical`.
struct NotifyDecoder {
    /// The file as the user named it, for messages.
    let file: String

    /// The table's keys, in the order the documentation lists them.
    static let keys = ["urgency", "expire", "sound", "dismiss", "confirm_break"]

    func decode(_ root: TOMLTable) throws(ConfigError) -> NotifyPreferences {
        guard let table = try root.section("notify", file: file) else { return NotifyPreferences() }
        var preferences = NotifyPreferences()
        for item in table.entries {
            let key = "notify." + item.key
            let value = item.value
            switch item.key {
            case "urgency":
                preferences.urgency = try choice(value, key: key, what: "an urgency", NotifyPreferences.Urgency.self)
            case "dismiss":
                preferences.dismiss = try choice(
                    value, key: key, what: "a dismissal action", NotifyPreferences.Dismissal.self)
            case "expire":
                guard case .string(let text) = value.content else {
                    throw fail(
                        value, key,
                        "\(value.phrase) is not an expiry; use \"never\", \"default\" or a duration such as \"30s\"")
                }
                if text == "never" {
                    preferences.expire = .never
                } else if text == "default" {
                    preferences.expire = .serverDefault
                } else if let seconds = DurationText.parse(text), seconds > 0, seconds <= 86400 {
                    preferences.expire = .after(seconds)
                } else {
                    throw fail(
                        value, key,
                        "\(TOMLValue.quoted(text)) is not an expiry; use \"never\", \"default\" or a duration from 1s to 24h such as \"30s\""
                    )
                }
            case "sound":
                guard case .string(let name) = value.content, !name.isEmpty,
                    name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
                else {
                    throw fail(
                        value, key,
                        "\(value.phrase) is not a sound name; use a name of the freedesktop sound theme such as \"bell\" or \"message-new-instant\""
                    )
                }
                preferences.sound = name
            case "confirm_break":
                guard case .boolean(let flag) = value.content else {
                    throw fail(value, key, "\(value.phrase) is not a boolean; use true or false")
                }
                preferences.confirmBreak = flag
            default:
                throw .unknownKey(
                    file: file, line: item.line, key: key, name: item.key, candidates: Self.keys,
                    valid: Self.keys.joined(separator: ", "))
            }
        }
        return preferences
    }

    private func choice<T: RawRepresentable & CaseIterable>(
        _ value: TOMLValue, key: String, what: String, _ type: T.Type
    ) throws(ConfigError) -> T where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        let listed = names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
        guard case .string(let text) = value.content else {
            throw fail(value, key, "\(value.phrase) is not \(what); use \(listed)")
        }
        guard let choice = T(rawValue: text) else {
            var message = "\(TOMLValue.quoted(text)) is not \(what); "
            if let guess = KeySuggestion.closest(to: text, among: names) { message += "did you mean \"\(guess)\"? " }
            throw fail(value, key, message + "use \(listed)")
        }
        return choice
    }

    private func fail(_ value: TOMLValue, _ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: value.line, key: key, message: message)
    }
}
