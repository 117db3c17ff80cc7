/// Reply lines of the control protocol.
public enum Reply {
    /// `{"id":…,"ok":true,"result":…}`
    public static func success(id: JSONValue, result: JSONValue) -> String {
        JSONValue.object([("id", id), ("ok", .bool(true)), ("result", result)]).serialized
    }

    /// `{"id":…,"ok":true,"result":…}` with a result that is already JSON text (a large result
    /// built from text, such as `stats`'s day objects, without building values first).
    public static func success(id: JSONValue, resultText: String) -> String {
        "{\"id\":" + id.serialized + ",\"ok\":true,\"result\":" + resultText + "}"
    }

    /// `{"id":…,"ok":false,"error":{"code":…,"message":…}}`
    public static func failure(id: JSONValue, error: ProtocolError) -> String {
        JSONValue.object([("id", id), ("ok", .bool(false)), ("error", error.json)]).serialized
    }
}

/// One reply line as a client reads it: the echoed `id` and either a result or an error.
///
/// Error codes are kept as text, not as ``ProtocolError/Code``, because a newer daemon may send a
/// code this build does not know; ``knownCode`` maps the ones it does.
public struct ParsedReply: Hashable, Sendable {
    /// The `id` the daemon echoed (null when the request's could not be read).
    public var id: JSONValue
    /// `result` when `ok` is true, else the error's `code` and `message`.
    public var outcome: Outcome

    /// What the daemon answered.
    public enum Outcome: Hashable, Sendable {
        /// `"ok":true` and its `result`.
        case success(JSONValue)
        /// `"ok":false` and its `error`.
        case failure(code: String, message: String)
    }

    /// Creates a reply.
    public init(id: JSONValue, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }

    /// The error code as a ``ProtocolError/Code``, if the reply is an error with a code this build knows.
    public var knownCode: ProtocolError.Code? {
        guard case .failure(let code, _) = outcome else { return nil }
        return ProtocolError.Code(rawValue: code)
    }

    /// Reads one reply line (UTF-8 JSON, with or without its line feed). Throws a sentence saying
    /// what is wrong when the line is not a reply of protocol 1.
    public static func parse(_ line: [UInt8]) throws(ReplyParseError) -> ParsedReply {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: line)
        } catch {
            throw ReplyParseError(reason: error.description)
        }
        guard case .object = value else { throw ReplyParseError(reason: "a reply is a JSON object") }
        let id = value["id"] ?? .null
        switch value["ok"] {
        case .bool(true):
            guard let result = value["result"] else { throw ReplyParseError(reason: "\"ok\":true without \"result\"") }
            return ParsedReply(id: id, outcome: .success(result))
        case .bool(false):
            guard let error = value["error"], let code = error["code"]?.stringValue,
                let message = error["message"]?.stringValue
            else { throw ReplyParseError(reason: "\"ok\":false without an \"error\" with \"code\" and \"message\"") }
            return ParsedReply(id: id, outcome: .failure(code: code, message: message))
        default:
            throw ReplyParseError(reason: "a reply has \"ok\": true or false")
        }
    }
}

/// A line that should have been a reply but is not one.
public struct ReplyParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with it.
    public var reason: String

    /// Creates an error.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}
