/// Reads the `[history]` table into ``HistoryPreferences``, every error naming the file, the line
/// and the key: `config.toml:40: history.keep: "2 years" is not a retention period; write …`.
struct HistoryDecoder {
    /// The file as the user named it, for messages.
    let file: String

    /// The keys of `[history]`.
    static let keys = ["keep"]

    func decode(_ root: TOMLTable) throws(ConfigError) -> HistoryPreferences {
        guard let table = try root.section("history", file: file) else { return HistoryPreferences() }
        var preferences = HistoryPreferences()
        for item in table.entries {
            let key = "history." + item.key
            guard item.key == "keep" else {
                throw .unknownKey(
                    file: file, line: item.line, key: key, name: item.key, candidates: Self.keys,
                    valid: Self.keys.joined(separator: ", "))
            }
            let hint =
                "write a period such as \"2y\", \"90d\" or \"8w\" (up to 100 years), or \"off\" to keep everything"
            guard case .string(let text) = item.value.content else {
                throw ConfigError(
                    file: file, line: item.value.line, key: key,
                    message: "\(item.value.phrase) is not a string; \(hint)")
            }
            guard let keep = HistoryPreferences.parseKeep(text) else {
                throw ConfigError(
                    file: file, line: item.value.line, key: key,
                    message: "\(TOMLValue.quoted(text)) is not a retention period; \(hint)")
            }
            preferences.keep = keep
        }
        return preferences
    }
}
