import ArgumentParser
import Glibc
import SitbreakConfig
import SitbreakEngine
import SitbreakHistory
import SitbreakProtocol
import SitbreakStats
import SitbreakSystem

/// `sitbreakctl history`: the raw events the daemon recorded, read-only from the history file.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Export the recorded events (reminders, breaks, snoozes…).",
        discussion: """
            Reads the history sitbreakd keeps ($XDG_STATE_HOME/sitbreak/history.sqlite3, else \
            ~/.local/state/sitbreak/history.sqlite3) without changing it, whether or not the \
            daemon runs. Days start at day_starts (local time, TZ) from your configuration.

            Without options: every recorded event, one readable line each in local time. --json \
            prints each event's JSON line exactly as the daemon emitted it (docs/engine.md §8); \
            --csv a header (time,event,kind,json) and one row per event.

            Examples:
              sitbreakctl history --since 2026-11-01
              sitbreakctl history --since 2026-11-01 --until 2026-11-30 --csv > november.csv

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var dates: DayRangeOptions
    @Flag(name: .long, help: "Each event's JSON line.") var json = false
    @Flag(name: .long, help: "CSV: a header, then one row per event.") var csv = false
    @Option(name: .long, help: ArgumentHelp("The history file to read.", valueName: "file")) var history: String?
    @Option(name: .long, help: ArgumentHelp("The configuration (day_starts).", valueName: "file"))
    var config: String?

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() throws {
        let now = Timestamp(secondsSinceEpoch: Int64(time(nil)))
        let environment = ProcessEnvironment.current()
        let schedule = try ScheduleArgument.load(config)
        let days = LocalDays(dayStartsMinute: schedule.dayStartsMinute, timeZone: GlibcTimeZone())
        let range: StatsRange?
        do {
            range = try StatsRange.resolve(
                today: days.day(containing: now).date, since: dates.since, until: dates.until)
        } catch {
            throw ValidationError(error.description)
        }
        // Without --since, every recorded event.
        let from = range.map { days.day(startingOn: $0.first).start } ?? Timestamp(secondsSinceEpoch: 0)
        let to = range.map { days.day(startingOn: $0.last).end } ?? Timestamp(secondsSinceEpoch: Int64(Int32.max) * 4)
        guard let path = history ?? StatsCommand.defaultHistoryPath(environment: environment) else {
            StandardError.writeLine("sitbreakctl: neither XDG_STATE_HOME nor HOME is set; give --history")
            throw ExitStatus.badInput
        }
        let events: [StoredEvent]
        do {
            events = try HistoryStore(path: path, access: .readOnly, now: now).events(from: from, to: to)
        } catch {
            StandardError.writeLine("sitbreakctl: \(error)")
            throw ExitStatus.badInput
        }
        let output = StandardOutput()
        if json {
            for event in events { output.write(event.json + "\n") }
        } else if csv {
            output.write("time,event,kind,json\n")
            for event in events {
                let cells = [event.time.rfc3339, event.type, event.kind ?? "", event.json]
                output.write(cells.map(Self.csvQuoted).joined(separator: ",") + "\n")
            }
        } else {
            let renderer = EventRenderer(clock: LocalClock(), showsTime: true)
            for event in events {
                guard let value = try? JSONParser.parse(event.json) else { continue }
                output.write(renderer.render(value) + "\n")
            }
        }
        do {
            try output.flush()
        } catch {
            StandardError.writeLine("sitbreakctl: \(error.message)")
            throw ExitStatus.outputFailed
        }
    }

    /// A CSV cell, quoted when it holds a comma, a quote or a line break.
    static func csvQuoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var out = "\""
        for c in text { out += c == "\"" ? "\"\"" : String(c) }
        return out + "\""
    }
}
