import SitbreakProtocol

/// libFuzzer entry point for the control protocol's request line: the JSON parser and the request
/// decoder, as the daemon runs them on every line a client sends.
///
/// Beyond "no crash": any JSON the parser accepts must survive a round trip through the
/// serializer unchanged, since replies echo the request's `id` that way.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = Request.decode(bytes)
    if let value = try? JSONParser.parse(bytes: bytes) {
        let again = try? JSONParser.parse(bytes: Array(value.serialized.utf8))
        precondition(again == value, "the serialized JSON does not parse back to the same value")
    }
    return 0
}
