import SitbreakEngine
import SitbreakProtocol

/// One line of the daemon's event stream, as ``Notifier`` needs it: the engine events that
/// change what is on the screen, and the `state` snapshots (which carry each kind's snooze
/// length and whether it is still due).
public enum DaemonEvent: Hashable, Sendable {
    /// A reminder (or nag) for a kind.
    case reminder(Event.Reminder)
    /// A kind's break was taken or marked done.
    case breakTaken(kind: String)
    /// A kind was snoozed.
    case snoozed(kind: String)
    /// A kind was skipped.
    case skipped(kind: String)
    /// Every reminder is withheld for a while.
    case paused
    /// The day's sitting time reached `daily_limit`.
    case dailyLimit(sittingSeconds: Seconds)
    /// The person went away.
    case away
    /// A state snapshot.
    case state(StatusResult)
    /// An event that changes nothing on the screen (`back`, `resumed`, `refused`: a refusal of
    /// this program's own command arrives as the command's reply instead).
    case other(EventType)

    /// Decodes one line of the stream. Throws a sentence naming what is wrong with it.
    public static func decode(_ line: [UInt8]) throws(ReplyParseError) -> DaemonEvent {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: line)
        } catch {
            throw ReplyParseError(reason: error.description)
        }
        return try decode(value)
    }

    /// Decodes one event object.
    public static func decode(_ value: JSONValue) throws(ReplyParseError) -> DaemonEvent {
        guard let name = value["event"]?.stringValue else {
            throw ReplyParseError(reason: "an event is an object with a string \"event\"")
        }
        if name == "state" { return .state(try StatusResult(json: value)) }
        guard let type = EventType(name: name) else {
            throw ReplyParseError(reason: "unknown event \"\(name)\"")
        }
        func string(_ key: String) throws(ReplyParseError) -> String {
            guard let text = value[key]?.stringValue else {
                throw ReplyParseError(reason: "\(name): \"\(key)\" must be a string")
            }
            return text
        }
        func integer(_ key: String) throws(ReplyParseError) -> Int64 {
            guard let number = value[key]?.integerValue else {
                throw ReplyParseError(reason: "\(name): \"\(key)\" must be an integer")
            }
            return number
        }
        switch type {
        case .reminder:
            guard let list = value["covers"]?.arrayValue else {
                throw ReplyParseError(reason: "reminder: \"covers\" must be a list of kinds")
            }
            let covers = list.compactMap(\.stringValue)
            return .reminder(
                Event.Reminder(
                    kind: try string("kind"), nag: Int(try integer("nag")), sittingSeconds: try integer("sitting_s"),
                    covers: covers, message: try string("message"), suggestion: try string("suggestion")))
        case .breakTaken: return .breakTaken(kind: try string("kind"))
        case .snoozed: return .snoozed(kind: try string("kind"))
        case .skipped: return .skipped(kind: try string("kind"))
        case .paused: return .paused
        case .dailyLimit: return .dailyLimit(sittingSeconds: try integer("sitting_s"))
        case .away: return .away
        case .refused, .resumed, .back: return .other(type)
        }
    }
}
