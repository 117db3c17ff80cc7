import ArgumentParser
import SitbreakConfig
import SitbreakEngine
import SitbreakSimulator
import SitbreakStats
import SitbreakSystem

/// `sitbreakctl simulate`: runs a trace through the same engine the daemon uses.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a trace through the break engine and print its events as JSON Lines.",
        discussion: """
            A trace is a text file with one input a line, TIME WORD [ARGS], times in RFC 3339 that \
            never go backwards. Words: active, idle, lock, unlock, suspend, resume, inhibit, \
            uninhibit (presence); snooze KIND|all [DURATION], skip KIND, done KIND, \
            pause [DURATION|off], resume-reminders (commands); and end, which must be the last line: \
            nothing at or after its time is printed. # starts a comment; blank lines are ignored. \
            Durations look like 45s, 20m or 1h30m.

            The whole trace is checked before the engine runs, so a malformed trace prints no \
            events, only FILE:LINE: and what is wrong on standard error. Each event is one JSON \
            object a line, with "time" (UTC) and "event" first.

            With --stats, prints instead the day statistics (docs/statistics.md): one JSON object \
            per local day (from day_starts to day_starts), oldest first, every day from the \
            trace's first instant to its end listed, each printed once it can no longer change.

            Local time (active hours, the start of a day) follows the TZ environment variable, or \
            the system's zone when TZ is unset.

            Example trace (a walk after half an hour):
              2026-11-30T09:00:00Z active
              2026-11-30T09:30:00Z idle      # left the desk
              2026-11-30T09:36:00Z active
              2026-11-30T10:30:00Z end

            Examples:
              sitbreakctl simulate --trace day.trace
              TZ=Europe/Berlin sitbreakctl simulate --config work.toml --trace day.trace
              sitbreakctl simulate --trace day.trace | grep '"event":"reminder"'
              sitbreakctl simulate --trace week.trace --stats

            \(ExitStatus.helpText)
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The configuration file (TOML) to simulate with.",
            discussion: """
                Without it, the built-in default schedule applies, not your own configuration file, \
                so a simulation gives the same result on every machine.
                """,
            valueName: "file"),
        completion: .file(extensions: ["toml"])
    )
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The trace to run.", valueName: "file"),
        completion: .file(extensions: ["trace"])
    )
    var trace: String

    @Flag(name: .long, help: "Print the day statistics instead of the events, one JSON object per day.")
    var stats = false

    func run() throws {
        let schedule: Schedule
        if let config {
            do {
                schedule = try ConfigLoader.load(path: config)
            } catch {
                StandardError.writeLine(error.description)
                throw ExitStatus.badInput
            }
        } else {
            schedule = .builtInDefault
        }
        let output = StandardOutput()
        do {
            if stats {
                try Simulator.runStatistics(tracePath: trace, schedule: schedule, timeZone: GlibcTimeZone()) { day in
                    output.write(day.jsonObject + "\n")
                }
            } else {
                try Simulator.run(tracePath: trace, schedule: schedule, timeZone: GlibcTimeZone(), sink: output.write)
            }
        } catch {
            StandardError.writeLine(error.description)
            throw ExitStatus.badInput
        }
        do {
            try output.flush()
        } catch {
            StandardError.writeLine("sitbreakctl: \(error.message)")
            throw ExitStatus.outputFailed
        }
    }
}
