extension ConfigError {
    /// `unknown key; did you mean GUESS? valid keys: LISTED`: the one wording of an unknown key in
    /// every table, with a suggestion when one of `candidates` is close to `name`.
    static func unknownKey(
        file: String, line: Int, key: String, name: String, candidates: [String], valid listed: String
    ) -> ConfigError {
        var message = "unknown key; "
        if let guess = KeySuggestion.closest(to: name, among: candidates) { message += "did you mean \(guess)? " }
        return ConfigError(file: file, line: line, key: key, message: message + "valid keys: " + listed)
    }
}

extension TOMLTable {
    /// The top-level `[name]` table of a file, nil when the file has none; a `name` key whose value
    /// is not a table is an error naming file and line.
    func section(_ name: String, file: String) throws(ConfigError) -> TOMLTable? {
        guard let entry = entries.first(where: { $0.key == name }) else { return nil }
        guard case .table(let table) = entry.value.content else {
            throw ConfigError(
                file: file, line: entry.line, key: name,
                message: "\(entry.value.phrase) is not a table; write a [\(name)] table")
        }
        return table
    }
}
