import SitbreakEngine

/// Turns a parsed TOML document into a `Schedule`, checking every key and value against
/// docs/design.md §3.
///
/// Every message reads `what is wrong; what would be valid` and is thrown with the line and the
/// full key path, so the person can fix the file from the message alone.
struct ScheduleDecoder {
    /// The file as the user named it, for messages.
    let file: String

    /// Top-level keys, in the order the documentation lists them.
    static let globalKeys = [
        "idle_threshold", "coalesce", "day_starts", "daily_limit", "pause_default", "inhibitors_count_as_sitting",
        "active_hours", "notify", "hooks", "presence", "history", "breaks",
    ]
    /// Keys of a `[breaks.NAME]` table, in the order the documentation lists them.
    static let kindKeys = [
        "every", "duration", "renotify", "max_nags", "snooze", "max_snoozes", "message", "suggestions",
    ]

    func decode(_ root: TOMLTable) throws(ConfigError) -> Schedule {
        // Without [breaks.*] tables the built-in kinds apply, with the file's global settings.
        var schedule = Schedule(kinds: Schedule.builtInDefault.kinds)
        for entry in root.entries {
            let key = [entry.key]
            let value = entry.value
            switch entry.key {
            case "idle_threshold":
                schedule.idleThreshold = try duration(value, key: key, example: "2m")
            case "coalesce":
                schedule.coalesce = try duration(value, key: key, example: "2m", minimum: 0)
            case "day_starts":
                schedule.dayStartsMinute = try timeOfDay(value, key: key)
            case "daily_limit":
                schedule.dailyLimit = try durationOrOff(value, key: key, example: "8h")
            case "pause_default":
                schedule.pauseDefault = try duration(
                    value, key: key, example: "1h", offRefusal: "\"off\" is not allowed (a pause always ends)")
            case "inhibitors_count_as_sitting":
                schedule.inhibitorsCountAsSitting = try boolean(value, key: key)
            case "active_hours":
                schedule.activeHours = try activeHours(value, key: key)
            case "breaks":
                schedule.kinds = try kinds(entry)
            case "presence", "notify", "hooks", "history":
                continue  // PresenceDecoder's, NotifyDecoder's, HooksDecoder's, HistoryDecoder's
            default:
                throw unknownKey(
                    key, line: entry.line, valid: ScheduleDecoder.globalKeys,
                    listed: ScheduleDecoder.globalKeys.dropLast(5) + [
                        "[notify]", "[hooks]", "[presence]", "[history]", "[breaks.NAME]",
                    ])
            }
        }
        return schedule
    }

    /// At most this many `[breaks.NAME]` tables.
    ///
    /// A person keeps a handful of kinds; the daemon does work per kind on every event and in
    /// every `status` reply, so the count is bounded where the file is read (20,000 kinds made
    /// `status` take 2 s before).
    static let maximumKinds = 64

    // MARK: - Break kinds

    private func kinds(_ entry: TOMLTable.Entry) throws(ConfigError) -> [BreakKind] {
        guard case .table(let table) = entry.value.content else {
            throw fail(
                entry.value, ["breaks"], "\(entry.value.phrase) is not a table; define kinds as [breaks.NAME] tables")
        }
        guard !table.entries.isEmpty else {
            throw ConfigError(
                file: file, line: table.line, key: "breaks",
                message:
                    "no break kinds are defined; "
                    + "add a [breaks.NAME] table, or remove [breaks] to use the built-in kinds"
            )
        }
        var kinds: [BreakKind] = []
        for (index, kindEntry) in table.entries.enumerated() {
            guard index < ScheduleDecoder.maximumKinds else {
                throw ConfigError(
                    file: file, line: kindEntry.line, key: TOMLTable.keyPath(["breaks", kindEntry.key]),
                    message: "more than \(ScheduleDecoder.maximumKinds) break kinds; "
                        + "define at most \(ScheduleDecoder.maximumKinds) [breaks.NAME] tables")
            }
            kinds.append(try kind(kindEntry))
        }
        return kinds
    }

    private func kind(_ entry: TOMLTable.Entry) throws(ConfigError) -> BreakKind {
        let name = entry.key
        let path = ["breaks", name]
        let isValidName =
            !name.isEmpty
            && name.utf8.allSatisfy { byte in
                TOMLByte.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
        guard isValidName else {
            throw ConfigError(
                file: file, line: entry.line, key: TOMLTable.keyPath(path),
                message: "\(TOMLValue.quoted(name)) is not a valid break name; "
                    + "use lowercase letters, digits, '_' and '-', e.g. [breaks.walk]")
        }
        guard name != KindSelector.allWord else {
            throw ConfigError(
                file: file, line: entry.line, key: TOMLTable.keyPath(path),
                message: "the name \"all\" is reserved (snooze all snoozes every kind); choose another name")
        }
        guard case .table(let table) = entry.value.content else {
            if ScheduleDecoder.kindKeys.contains(name) {
                throw fail(
                    entry.value, path,
                    "\(name) belongs to a break kind, not to [breaks]; "
                        + "put it in a [breaks.NAME] table, e.g. [breaks.walk]"
                )
            }
            throw fail(entry.value, path, "\(entry.value.phrase) is not a table; use a [breaks.\(name)] table")
        }

        var every: (seconds: Seconds, value: TOMLValue)?
        var duration: (seconds: Seconds, value: TOMLValue)?
        var kind = BreakKind(name: name, every: 0, duration: 0)
        // A kind named like a built-in one keeps its gentle texts unless the file gives its own:
        // retiming the walk should not silence its suggestions.
        if let builtIn = Schedule.builtInDefault.kinds.first(where: { $0.name == name }) {
            kind.message = builtIn.message
            kind.suggestions = builtIn.suggestions
        }
        for field in table.entries {
            let key = path + [field.key]
            let value = field.value
            switch field.key {
            case "every":
                every = (try self.duration(value, key: key, example: "50m"), value)
            case "duration":
                duration = (try self.duration(value, key: key, example: "5m", minimum: 0), value)
            case "renotify":
                kind.renotify = try self.duration(value, key: key, example: "5m")
            case "max_nags":
                kind.maxNags = try count(value, key: key)
            case "snooze":
                kind.snooze = try self.duration(value, key: key, example: "10m")
            case "max_snoozes":
                kind.maxSnoozes = try count(value, key: key)
            case "message":
                kind.message = try text(value, key: key, emptyAdvice: "write a short sentence, or leave message out")
            case "suggestions":
                kind.suggestions = try suggestions(value, key: key)
            default:
                throw unknownKey(
                    key, line: field.line, valid: ScheduleDecoder.kindKeys, listed: ScheduleDecoder.kindKeys[...])
            }
        }
        guard let every else {
            throw missing(path + ["every"], table: table, example: "every = \"50m\"")
        }
        guard let duration else {
            throw missing(path + ["duration"], table: table, example: "duration = \"5m\" (or \"0s\" for a nudge)")
        }
        guard every.seconds >= duration.seconds else {
            throw fail(
                every.value, path + ["every"],
                "\(ScheduleDecoder.written(every.value)) is shorter than duration "
                    + "\(ScheduleDecoder.written(duration.value)); make every at least as long as duration")
        }
        kind.every = every.seconds
        kind.duration = duration.seconds
        return kind
    }

    /// A string value as the file wrote it, quotes included.
    private static func written(_ value: TOMLValue) -> String {
        if case .string(let text) = value.content { return TOMLValue.quoted(text) }
        return value.phrase
    }

    private func missing(_ key: [String], table: TOMLTable, example: String) -> ConfigError {
        ConfigError(
            file: file, line: table.line, key: TOMLTable.keyPath(key),
            message: "missing; [\(TOMLTable.keyPath(key.dropLast()))] needs it, e.g. \(example)")
    }

    // MARK: - Values

    /// A duration of at least `minimum`; `"off"` refused with `offRefusal`.
    private func duration(
        _ value: TOMLValue, key: [String], example: String, minimum: Seconds = 1,
        offRefusal: String = "\"off\" is not allowed here"
    ) throws(ConfigError) -> Seconds {
        if case .string("off") = value.content {
            throw fail(value, key, "\(offRefusal); use a duration such as \"\(example)\"")
        }
        return try durationValue(value, key: key, example: example, minimum: minimum, offAllowed: false)
    }

    /// A duration of at least 1s, or `"off"` (nil).
    private func durationOrOff(_ value: TOMLValue, key: [String], example: String) throws(ConfigError) -> Seconds? {
        if case .string("off") = value.content { return nil }
        return try durationValue(value, key: key, example: example, minimum: 1, offAllowed: true)
    }

    private func durationValue(
        _ value: TOMLValue, key: [String], example: String, minimum: Seconds, offAllowed: Bool
    ) throws(ConfigError) -> Seconds {
        let orOff = offAllowed ? ", or \"off\"" : ""
        guard case .string(let text) = value.content else {
            if case .integer(let number) = value.content {
                throw fail(
                    value, key,
                    "\(value.phrase) is not a duration; "
                        + "use a string with a unit, such as \"\(number)m\" or \"\(number)s\"\(orOff)"
                )
            }
            throw fail(value, key, "\(value.phrase) is not a duration; use a string such as \"\(example)\"\(orOff)")
        }
        let quoted = TOMLValue.quoted(text)
        guard let seconds = DurationText.parseUnbounded(text) else {
            throw fail(
                value, key,
                "\(quoted) is not a duration; use whole numbers with units h, m, s in that order, "
                    + "e.g. \"45s\", \"20m\", \"1h30m\"\(orOff)")
        }
        guard seconds >= minimum else {
            throw fail(value, key, "\(quoted) is too short; use at least \"\(DurationText.format(minimum))\"\(orOff)")
        }
        guard seconds <= DurationText.maximum else {
            throw fail(
                value, key,
                "\(quoted) is too long; use at most \"\(DurationText.format(DurationText.maximum))\"\(orOff)")
        }
        return seconds
    }

    /// A whole number ≥ 0, or `"off"` (nil) for no limit.
    private func count(_ value: TOMLValue, key: [String]) throws(ConfigError) -> Int? {
        let valid = "use a whole number (0 or more) or \"off\""
        switch value.content {
        case .integer(let number):
            guard number >= 0 else { throw fail(value, key, "\(number) is negative; \(valid)") }
            return Int(number)
        case .string("off"):
            return nil
        case .string(let text) where !text.isEmpty && text.utf8.allSatisfy(TOMLByte.isDigit):
            throw fail(value, key, "\(value.phrase) is not a number; write \(text) without quotes, or \"off\"")
        default:
            throw fail(value, key, "\(value.phrase) is not a count; \(valid)")
        }
    }

    private func boolean(_ value: TOMLValue, key: [String]) throws(ConfigError) -> Bool {
        guard case .boolean(let flag) = value.content else {
            throw fail(value, key, "\(value.phrase) is not a boolean; use true or false, without quotes")
        }
        return flag
    }

    private func timeOfDay(_ value: TOMLValue, key: [String]) throws(ConfigError) -> Int {
        guard case .string(let text) = value.content else {
            throw fail(value, key, "\(value.phrase) is not a time; use a string \"HH:MM\" such as \"04:00\"")
        }
        guard let minute = TimeOfDayText.parse(text) else {
            throw fail(
                value, key,
                "\(TOMLValue.quoted(text)) is not a time of day; use HH:MM from 00:00 to 23:59, e.g. \"04:00\"")
        }
        return minute
    }

    private func text(_ value: TOMLValue, key: [String], emptyAdvice: String) throws(ConfigError) -> String {
        guard case .string(let text) = value.content else {
            throw fail(value, key, "\(value.phrase) is not text; use a string in quotes")
        }
        guard !text.allSatisfy(\.isWhitespace) else {
            throw fail(value, key, "\(TOMLValue.quoted(text)) is empty; \(emptyAdvice)")
        }
        return text
    }

    private func suggestions(_ value: TOMLValue, key: [String]) throws(ConfigError) -> [String] {
        guard case .array(let items) = value.content else {
            throw fail(
                value, key, "\(value.phrase) is not an array; use an array of strings, e.g. [\"Take a short walk.\"]")
        }
        var result: [String] = []
        for item in items {
            result.append(try text(item, key: key, emptyAdvice: "write a suggestion or remove the empty one"))
        }
        return result
    }

    private func activeHours(_ value: TOMLValue, key: [String]) throws(ConfigError) -> [ActiveHoursEntry] {
        guard case .array(let items) = value.content else {
            throw fail(
                value, key,
                "\(value.phrase) is not an array; "
                    + "use an array of entries such as [\"Mon-Fri 08:30-18:00\"] ([] = always)"
            )
        }
        var entries: [ActiveHoursEntry] = []
        for item in items {
            guard case .string(let text) = item.content else {
                throw fail(
                    item, key,
                    "\(item.phrase) is not an active-hours entry; use a string such as \"Mon-Fri 08:30-18:00\"")
            }
            do {
                entries.append(try ActiveHoursText.parse(text))
            } catch {
                throw fail(item, key, error.description)
            }
        }
        return entries
    }

    // MARK: - Errors

    private func fail(_ value: TOMLValue, _ key: [String], _ message: String) -> ConfigError {
        ConfigError(file: file, line: value.line, key: TOMLTable.keyPath(key), message: message)
    }

    private func unknownKey(_ key: [String], line: Int, valid: [String], listed: ArraySlice<String>) -> ConfigError {
        var message = "unknown key; "
        if let guess = KeySuggestion.closest(to: key[key.count - 1], among: valid) {
            message +=
                "did you mean \(guess == "breaks" ? "[breaks.NAME]" : ["presence", "notify", "hooks", "history"].contains(guess) ? "[\(guess)]" : guess)? "
        }
        message += "valid keys: " + listed.joined(separator: ", ")
        return ConfigError(file: file, line: line, key: TOMLTable.keyPath(key), message: message)
    }
}
