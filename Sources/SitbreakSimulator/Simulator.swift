import SitbreakEngine

/// `sitbreakctl simulate`: validates a trace file, then runs it through the engine (docs/engine.md §9).
public enum Simulator {
    /// Checks the whole trace at `path` without running the engine.
    ///
    /// - Parameter file: the name used in errors; the path when nil.
    public static func validate(tracePath path: String, file: String? = nil) throws(TraceError) {
        var parser = TraceParser(file: file ?? path)
        try LineReader.forEachLine(path: path, file: parser.file) { (line, _) throws(TraceError) in
            _ = try parser.parse(line: line)
        }
        try parser.finish()
    }

    /// Runs the trace at `path` and passes each event to `sink` as one JSON line ending in `\n`.
    ///
    /// Reads the file twice, streaming both times: a first pass validates every line, so a malformed
    /// trace is reported before any event is emitted; the second runs the engine. Memory does not
    /// grow with the trace.
    public static func run(
        tracePath path: String, file: String? = nil, schedule: Schedule, timeZone: any LocalTimeZone,
        sink: (String) -> Void
    ) throws(TraceError) {
        try run(tracePath: path, file: file, schedule: schedule, timeZone: timeZone) { event in
            sink(event.jsonLine + "\n")
        }
    }

    /// Runs the trace at `path`, passing each event to `emit` as soon as it is produced (events are
    /// never gathered: a trace spanning centuries streams); see
    /// ``run(tracePath:file:schedule:timeZone:sink:)``.
    public static func run(
        tracePath path: String, file: String? = nil, schedule: Schedule, timeZone: any LocalTimeZone,
        emit: (Event) -> Void
    ) throws(TraceError) {
        var runner = TraceRunner(schedule: schedule, timeZone: timeZone)
        try forEachStep(tracePath: path, file: file) { step in runner.apply(step, emit: emit) }
    }

    /// Validates the trace at `path`, then reads it again and passes each step to `body` as it is
    /// parsed: the two passes every run of a trace file makes (nothing happens for a malformed
    /// trace, and memory does not grow with the trace).
    static func forEachStep(
        tracePath path: String, file: String?, _ body: (TraceStep) -> Void
    ) throws(TraceError) {
        try validate(tracePath: path, file: file)
        // Parsing again re-checks the lines, which also catches a file changed between the passes.
        var parser = TraceParser(file: file ?? path)
        try LineReader.forEachLine(path: path, file: parser.file) { (line, _) throws(TraceError) in
            guard let step = try parser.parse(line: line) else { return }
            body(step)
        }
        try parser.finish()
    }

    /// Runs a trace held in memory and returns its JSON lines (without line feeds); for tests.
    public static func run(
        text: String, file: String, schedule: Schedule, timeZone: any LocalTimeZone
    ) throws(TraceError) -> [String] {
        let steps = try TraceParser.parse(text: text, file: file)
        var runner = TraceRunner(schedule: schedule, timeZone: timeZone)
        return steps.flatMap { runner.apply($0) }.map(\.jsonLine)
    }
}
