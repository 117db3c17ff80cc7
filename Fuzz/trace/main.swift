import SitbreakConfig
import SitbreakEngine
import SitbreakSimulator

/// libFuzzer entry point for traces: the trace parser, then the engine over the parsed steps on
/// the built-in schedule, as `sitbreakctl simulate` runs them.
///
/// The engine's work grows with the time a trace spans, not with its length: a two-line trace
/// from year 1 to 9999 asks for every reminder of ten thousand years (as `simulate` would print
/// them). The engine therefore runs only over traces spanning at most three days (a day start,
/// a daily limit and a night crossed), so that a slow input is a real finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrace(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let steps = try? TraceParser.parse(text: text, file: "fuzz.trace") else { return 0 }
    guard let first = steps.first, let last = steps.last,
        last.time.secondsSinceEpoch - first.time.secondsSinceEpoch <= 3 * 86400
    else { return 0 }
    var runner = TraceRunner(schedule: .builtInDefault, timeZone: FixedOffsetTimeZone(offset: 3600))
    for step in steps { _ = runner.apply(step) }
    return 0
}
