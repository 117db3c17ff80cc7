import SitbreakConfig

/// libFuzzer entry point for the configuration file: TOML parsing and the schedule and
/// `[presence]` decoding, as `sitbreakctl config check` and the daemon's reload run them.
///
/// Beyond "no crash": every error names the file, so a person knows what to fix.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The loader reads files as UTF-8 and refuses other bytes before parsing.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else {
        return 0
    }
    do {
        _ = try ConfigLoader.parseConfiguration(text: text, file: "fuzz.toml")
    } catch {
        precondition(error.description.hasPrefix("fuzz.toml"), "an error that does not name the file")
    }
    return 0
}
