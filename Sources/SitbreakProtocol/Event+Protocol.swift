import SitbreakEngine

extension Event {
    /// The event as a JSON object with exactly the members and order of ``Event/jsonLine``, so an
    /// event in a command's `{"events":[…]}` result or on a subscription reads the same as in
    /// `sitbreakctl simulate`'s output.
    public var json: JSONValue {
        .object([("time", .string(time.rfc3339)), ("event", .string(name))] + fields.map { ($0.name, $0.value.json) })
    }
}

extension Event.Value {
    /// The value as a JSON value, as ``jsonText`` writes it.
    public var json: JSONValue {
        switch self {
        case .name(let text), .text(let text): .string(text)
        case .integer(let n), .seconds(let n): .integer(n)
        case .flag(let flag): .bool(flag)
        case .time(let instant): .string(instant.rfc3339)
        case .names(let names): .array(names.map { .string($0) })
        }
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
