/// Reads the `[presence]` table into ``PresencePreferences``, every error naming the file, the
/// line and the key: `config.toml:31: presence.idle: "x12" is not an idle source; did you mean
/// "x11"? idle sources: mutter, swayidle, x11, kde, logind, terminal, always`.
struct PresenceDecoder {
    /// The file as the user named it, for messages.
    let file: String

    func decode(_ root: TOMLTable) throws(ConfigError) -> PresencePreferences {
        guard let table = try root.section("presence", file: file) else { return PresencePreferences() }
        let questions = PresencePreferences.knownSources.map(\.question)
        var order: [String: [String]] = [:]
        for item in table.entries {
            let key = "presence." + item.key
            guard let known = PresencePreferences.knownSources.first(where: { $0.question == item.key })?.sources
            else {
                throw .unknownKey(
                    file: file, line: item.line, key: key, name: item.key, candidates: questions,
                    valid: questions.joined(separator: ", "))
            }
            guard case .array(let values) = item.value.content else {
                throw ConfigError(
                    file: file, line: item.value.line, key: key,
                    message:
                        "\(item.value.phrase) is not an array; list sources in order, e.g. [\"\(known[0])\"] ([] = none)"
                )
            }
            var names: [String] = []
            for value in values {
                guard case .string(let name) = value.content else {
                    throw ConfigError(
                        file: file, line: value.line, key: key,
                        message: "\(value.phrase) is not a source name; use a string such as \"\(known[0])\"")
                }
                guard known.contains(name) else {
                    var message = "\(TOMLValue.quoted(name)) is not \(article(item.key)) \(item.key) source; "
                    if let guess = KeySuggestion.closest(to: name, among: known) {
                        message += "did you mean \"\(guess)\"? "
                    }
                    throw ConfigError(
                        file: file, line: value.line, key: key,
                        message: message + "\(item.key) sources: " + known.joined(separator: ", "))
                }
                guard !names.contains(name) else {
                    throw ConfigError(
                        file: file, line: value.line, key: key,
                        message: "\(TOMLValue.quoted(name)) is listed twice; list each source once")
                }
                names.append(name)
            }
            order[item.key] = names
        }
        return PresencePreferences(order: order)
    }

    private func article(_ word: String) -> String {
        ["a", "e", "i", "o", "u"].contains(word.prefix(1)) ? "an" : "a"
    }
}
