/// Reply lines of the control protocol.
public enum Reply {
    /// The protocol version this build speaks.
    public static let protocolVersion = 1

    /// `{"id":…,"ok":true,"result":…}`
    public static func success(id: JSONValue, result: JSONValue) -> String {
        JSONValue.object([("id", id), ("ok", .bool(true)), ("result", result)]).serialized
    }

    /// `{"id":…,"ok":false,"error":{"code":…,"message":…}}`
    public static func failure(id: JSONValue, error: ProtocolError) -> String {
        JSONValue.object([("id", id), ("ok", .bool(false)), ("error", error.json)]).serialized
    }
}
