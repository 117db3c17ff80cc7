import SitbreakConfig
import SitbreakEngine
import SitbreakSimulator

/// libFuzzer entry point for traces: the trace parser, then the engine over the parsed steps on
/// the built-in schedule, as `sitbreakctl simulate` runs them.
///
/// The engine run is bounded by the input's length (at most one step per line), so a slow input
/// is a real finding rather than an artefact of the harness.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrace(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let steps = try? TraceParser.parse(text: text, file: "fuzz.trace") else { return 0 }
    var runner = TraceRunner(schedule: .builtInDefault, timeZone: FixedOffsetTimeZone(offset: 3600))
    for step in steps { _ = runner.apply(step) }
    return 0
}
