import SitbreakConfig
import SitbreakEngine

/// One request line of the control protocol (docs/protocol.md): `{"id": …, "cmd": …, …}`.
public struct Request: Hashable, Sendable {
    /// Echoed in the reply; any JSON value (null when the request had none).
    public var id: JSONValue
    /// What is asked.
    public var command: Command

    /// Creates a request.
    public init(id: JSONValue, command: Command) {
        self.id = id
        self.command = command
    }

    /// The commands of protocol version 1.
    public enum Command: Hashable, Sendable {
        /// A snapshot of the engine and the daemon.
        case status
        /// One of the engine's commands (`snooze`, `skip`, `done`, `pause`, `resume-reminders`),
        /// applied as it is; the engine's rules may refuse it.
        case command(SitbreakEngine.Command)
        /// Presence from an external feed (a script, a compositor hook).
        case presence(Presence)
        /// Day statistics from the history store, for the days the query names.
        case stats(StatsQuery)
        /// Turn this connection into an event stream.
        case subscribe
        /// Re-read the configuration.
        case reload
        /// Daemon and protocol versions.
        case version

        /// The `cmd` word.
        public var word: String {
            switch self {
            case .status: "status"
            case .command(let command): command.word
            case .presence: "presence"
            case .stats: "stats"
            case .subscribe: "subscribe"
            case .reload: "reload"
            case .version: "version"
            }
        }

        /// Every `cmd` word, for error messages.
        public static let words = [
            "status", "snooze", "skip", "done", "pause", "resume-reminders", "presence", "stats", "subscribe",
            "reload", "version",
        ]
    }

    /// Decodes one line. On failure returns the request's `id` (when it could be read) with the
    /// error, so the reply can still echo it.
    public static func decode(_ line: [UInt8]) -> Result<Request, Failure> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: line)
        } catch {
            return .failure(Failure(id: .null, error: ProtocolError(.malformedJSON, error.description)))
        }
        guard case .object = value else {
            return .failure(
                Failure(id: .null, error: ProtocolError(.invalidRequest, "a request is a JSON object with \"cmd\"")))
        }
        let id = value["id"] ?? .null
        do {
            return .success(Request(id: id, command: try decodeCommand(value)))
        } catch {
            return .failure(Failure(id: id, error: error))
        }
    }

    /// A request that could not be decoded.
    public struct Failure: Error, Hashable, Sendable {
        /// The request's `id`, or null.
        public var id: JSONValue
        /// Why.
        public var error: ProtocolError

        /// Creates a failure.
        public init(id: JSONValue, error: ProtocolError) {
            self.id = id
            self.error = error
        }
    }

    private static func decodeCommand(_ value: JSONValue) throws(ProtocolError) -> Command {
        guard let member = value["cmd"] else {
            throw ProtocolError(.invalidRequest, "missing \"cmd\"; one of " + Command.words.joined(separator: ", "))
        }
        guard let word = member.stringValue else {
            throw ProtocolError(
                .invalidRequest, "\"cmd\" must be a string; one of " + Command.words.joined(separator: ", "))
        }
        switch word {
        case "status": return .status
        case "snooze":
            return .command(
                .snooze(
                    KindSelector(try optionalString(value, "kind")), duration: try optionalDuration(value, "duration")))
        case "skip": return .command(.skip(kind: try requiredString(value, "kind")))
        case "done": return .command(.done(kind: try requiredString(value, "kind")))
        case "pause": return .command(.pause(try optionalDuration(value, "duration").map { .duration($0) } ?? .default))
        case "resume-reminders": return .command(.resumeReminders)
        case "presence":
            let state = try requiredString(value, "state")
            guard let presence = Presence(rawValue: state) else {
                throw ProtocolError(
                    .badArgument,
                    "\"state\": \"\(state)\" is not a presence state; one of "
                        + Presence.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return .presence(presence)
        case "stats": return .stats(try statsQuery(value))
        case "subscribe": return .subscribe
        case "reload": return .reload
        case "version": return .version
        default:
            throw ProtocolError(
                .unknownCommand, "unknown command \"\(word)\"; one of " + Command.words.joined(separator: ", "))
        }
    }

    /// `since` and `until` of a `stats` request: `YYYY-MM-DD`, `since` not after `until`, at most
    /// ``StatsQuery/maximumDays`` days.
    private static func statsQuery(_ value: JSONValue) throws(ProtocolError) -> StatsQuery {
        func date(_ key: String) throws(ProtocolError) -> CivilDate? {
            guard let member = value[key], member != .null else { return nil }
            guard let text = member.stringValue, let date = CivilDate(isoText: text) else {
                throw ProtocolError(.badArgument, "\"\(key)\" must be a date as a string, YYYY-MM-DD")
            }
            return date
        }
        var hours = false
        if let member = value["hours"], member != .null {
            guard let flag = member.boolValue else {
                throw ProtocolError(.badArgument, "\"hours\" must be true or false")
            }
            hours = flag
        }
        let query = StatsQuery(since: try date("since"), until: try date("until"), hours: hours)
        if let since = query.since, let until = query.until {
            guard since <= until else {
                throw ProtocolError(.badArgument, "\"until\" \(until.isoText) is before \"since\" \(since.isoText)")
            }
            guard until.daysSinceEpoch - since.daysSinceEpoch < StatsQuery.maximumDays else {
                throw ProtocolError(.badArgument, "at most \(StatsQuery.maximumDays) days per request")
            }
        }
        return query
    }

    private static func optionalString(_ value: JSONValue, _ key: String) throws(ProtocolError) -> String? {
        guard let member = value[key], member != .null else { return nil }
        guard let text = member.stringValue, !text.isEmpty else {
            throw ProtocolError(.badArgument, "\"\(key)\" must be a non-empty string")
        }
        return text
    }

    private static func requiredString(_ value: JSONValue, _ key: String) throws(ProtocolError) -> String {
        guard let text = try optionalString(value, key) else {
            throw ProtocolError(.badArgument, "missing \"\(key)\"")
        }
        return text
    }

    /// A duration as a string (`"10m"`, `"1h30m"`) or a whole number of seconds.
    private static func optionalDuration(_ value: JSONValue, _ key: String) throws(ProtocolError) -> Seconds? {
        guard let member = value[key], member != .null else { return nil }
        if let seconds = member.integerValue, seconds > 0, seconds <= DurationText.maximum { return seconds }
        if let text = member.stringValue, let seconds = DurationText.parse(text), seconds > 0 { return seconds }
        if member.stringValue == "off" {
            // The engine's `pause off` (a pause that never ends) is refused by the rules; over the
            // socket it cannot even be asked for.
            throw ProtocolError(.badArgument, "\"\(key)\": \"off\" is not allowed; a pause always ends")
        }
        throw ProtocolError(
            .badArgument, "\"\(key)\" must be a duration such as \"10m\" or \"1h30m\", or a number of seconds above 0")
    }
}
