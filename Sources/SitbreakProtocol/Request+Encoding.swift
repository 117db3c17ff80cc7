extension Request {
    /// The request as a JSON object in the form ``decode(_:)`` reads: `id`, `cmd`, then the
    /// command's arguments; arguments that are nil are left out (the daemon's defaults apply), and
    /// durations are whole seconds.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("id", id), ("cmd", .string(command.word))]
        switch command {
        case .command(.snooze(let selector, let duration)):
            if let kind = selector.name { members.append(("kind", .string(kind))) }
            if let duration { members.append(("duration", .integer(duration))) }
        case .command(.skip(let kind)), .command(.done(let kind)):
            members.append(("kind", .string(kind)))
        case .command(.pause(.default)):
            break
        case .command(.pause(.duration(let duration))):
            members.append(("duration", .integer(duration)))
        case .command(.pause(.unbounded)):
            // Sent as written; the daemon answers bad-argument, since a pause always ends.
            members.append(("duration", .string("off")))
        case .presence(let state):
            members.append(("state", .string(state.rawValue)))
        case .stats(let query):
            if let since = query.since { members.append(("since", .string(since.isoText))) }
            if let until = query.until { members.append(("until", .string(until.isoText))) }
            if query.hours { members.append(("hours", .bool(true))) }
        case .status, .command(.resumeReminders), .subscribe, .reload, .version:
            break
        }
        return .object(members)
    }

    /// The request line a client sends, without its line feed, e.g.
    /// `{"id":1,"cmd":"snooze","kind":"walk","duration":600}`.
    public var line: String { json.serialized }
}
