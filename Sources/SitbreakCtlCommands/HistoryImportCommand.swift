import ArgumentParser
import SitbreakConfig
import SitbreakEngine
import SitbreakHistory
import SitbreakSimulator
import SitbreakSystem

/// `sitbreakctl history-import` (hidden): runs a trace through the engine and writes what it saw
/// into a history store, one transaction per trace step as the daemon writes per batch; for the
/// benchmark (a generated year) and the crash-safety test (`--progress`, then `kill -9`).
struct HistoryImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history-import",
        abstract: "Write a simulated trace into a history file (for benchmarks and tests).",
        shouldDisplay: false
    )

    @Option(name: .long, help: ArgumentHelp("The configuration.", valueName: "file")) var config: String?
    @Option(name: .long, help: ArgumentHelp("The trace to run.", valueName: "file")) var trace: String
    @Option(name: .long, help: ArgumentHelp("The history file to write.", valueName: "file")) var history: String
    @Flag(name: .long, help: "After each commit print the number of events committed so far.") var progress = false

    func run() throws {
        do {
            let schedule = try config.map { try ConfigLoader.load(path: $0) } ?? .builtInDefault
            try Simulator.validate(tracePath: trace)
            var store: HistoryStore?
            var runner = TraceRunner(schedule: schedule, timeZone: GlibcTimeZone())
            runner.collectsPresenceChanges = true
            var committed = 0
            let output = StandardOutput()
            var parser = TraceParser(file: trace)
            try LineReader.forEachLine(path: trace, file: trace) { (line, _) throws(TraceError) in
                guard let step = try parser.parse(line: line) else { return }
                do throws(HistoryError) {
                    if store == nil { store = try HistoryStore(path: history, now: step.time) }
                    let open = store!
                    let events = runner.apply(step)
                    var changes = runner.takePresenceChanges().filter {
                        $0.learnedAt < step.time || step.action != .end
                    }
                    // The trace stops at `end`: so does sitting (a daemon would still be running).
                    if step.action == .end { changes.append(.absent(since: step.time, learnedAt: step.time)) }
                    try open.append(events: events, changes: changes)
                    committed += events.count
                    if progress {
                        output.write("\(committed)\n")
                        try? output.flush()
                    }
                } catch {
                    // The store's error, not the trace's: said without a line number.
                    throw TraceError(file: history, line: nil, message: error.message)
                }
            }
        } catch {
            StandardError.writeLine("sitbreakctl: \(error)")
            throw ExitStatus.badInput
        }
    }
}
