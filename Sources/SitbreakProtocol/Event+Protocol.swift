import SitbreakEngine

extension Event {
    /// The event as a JSON object with exactly the members and order of ``Event/jsonLine``, so an
    /// event in a command's `{"events":[…]}` result or on a subscription reads the same as in
    /// `sitbreakctl simulate`'s output.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("time", .string(time.rfc3339)), ("event", .string(name))]
        switch body {
        case .reminder(let r):
            members += [
                ("kind", .string(r.kind)), ("nag", .integer(Int64(r.nag))), ("sitting_s", .integer(r.sittingSeconds)),
                ("covers", .array(r.covers.map { .string($0) })), ("message", .string(r.message)),
                ("suggestion", .string(r.suggestion)),
            ]
        case .breakTaken(let kind, let natural, let manual, let away):
            members += [
                ("kind", .string(kind)), ("natural", .bool(natural)), ("manual", .bool(manual)),
                ("away_s", .integer(away)),
            ]
        case .snoozed(let kind, let until):
            members += [("kind", .string(kind)), ("until", .string(until.rfc3339))]
        case .skipped(let kind):
            members.append(("kind", .string(kind)))
        case .refused(let command, let kind, let reason):
            members.append(("command", .string(command)))
            if let kind { members.append(("kind", .string(kind))) }
            members.append(("reason", .string(reason)))
        case .paused(let until):
            members.append(("until", .string(until.rfc3339)))
        case .resumed:
            break
        case .dailyLimit(let sitting):
            members.append(("sitting_s", .integer(sitting)))
        case .away(let since):
            members.append(("since", .string(since.rfc3339)))
        case .back(let away):
            members.append(("away_s", .integer(away)))
        }
        return .object(members)
    }
}

extension Reply {
    /// The result of `snooze`, `skip`, `done`, `pause`, `resume-reminders` and `presence`:
    /// `{"events":[…]}`, the engine events the command produced, in order (possibly none).
    public static func eventsResult(_ events: [Event]) -> JSONValue {
        .object([("events", .array(events.map(\.json)))])
    }

    /// The result of `version`: `{"protocol":1,"version":"0.1.0"}`.
    public static var versionResult: JSONValue {
        .object([
            ("protocol", .integer(Int64(ControlProtocol.version))),
            ("version", .string(ControlProtocol.softwareVersion)),
        ])
    }

    /// The result of `subscribe`: `{"subscribed":true}`; the event stream follows it.
    public static var subscribedResult: JSONValue { .object([("subscribed", .bool(true))]) }

    /// The result of a successful `reload`: `{"config":"…"}`, the path read, or `built-in default`.
    public static func reloadResult(config: String) -> JSONValue { .object([("config", .string(config))]) }
}
