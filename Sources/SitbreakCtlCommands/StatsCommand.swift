import ArgumentParser
import Glibc
import SitbreakClient
import SitbreakConfig
import SitbreakEngine
import SitbreakHistory
import SitbreakProtocol
import SitbreakStats
import SitbreakSystem

/// `sitbreakctl stats`: the day statistics from the history store, for a person or a script.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show how much you sat and which breaks you took, per day.",
        discussion: """
            Asks sitbreakd when it runs; otherwise reads the history it keeps \
            ($XDG_STATE_HOME/sitbreak/history.sqlite3, else ~/.local/state/sitbreak/history.sqlite3) \
            without changing it. --history reads that file even while the daemon runs. Days start \
            at day_starts (local time, TZ) from your configuration.

            Without options: today and the 7 days before it. The report is a table, sitting \
            hours per day as bars, breaks taken against reminders per kind and a weekday × hour \
            map of sitting; colour only on a terminal, never with NO_COLOR set. --json prints one \
            JSON object per day, --csv a header and one row per day (docs/statistics.md).

            Examples:
              sitbreakctl stats
              sitbreakctl stats --month --csv > month.csv
              sitbreakctl stats --since 2026-11-01 --until 2026-11-30 --json

            \(ExitStatus.helpText)
            """
    )

    @Flag(name: .long, help: "This week, from Monday.") var week = false
    @Flag(name: .long, help: "This month, from the 1st.") var month = false
    @OptionGroup var dates: DayRangeOptions
    @Flag(name: .long, help: "One JSON object per day.") var json = false
    @Flag(name: .long, help: "CSV: a header, then one row per day.") var csv = false
    @Option(name: .long, help: ArgumentHelp("The history file to read.", valueName: "file")) var history: String?
    @Option(name: .long, help: ArgumentHelp("The configuration (kinds, day_starts).", valueName: "file"))
    var config: String?
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() throws {
        let now = Timestamp(secondsSinceEpoch: Int64(time(nil)))
        let zone = GlibcTimeZone()
        let environment = ProcessEnvironment.current()
        let schedule = try ScheduleArgument.load(config)
        let days = LocalDays(dayStartsMinute: schedule.dayStartsMinute, timeZone: zone)
        let range: StatsRange
        do {
            range = try StatsRange.resolve(
                today: days.day(containing: now).date, week: week, month: month, since: dates.since,
                until: dates.until)
        } catch {
            throw ValidationError(error.description)
        }
        var kindNames = schedule.kinds.map(\.name)
        let statistics: [DayStatistics]
        if history == nil, let answered = try fromDaemon(range: range, days: days) {
            (statistics, kindNames) = answered
        } else {
            statistics = try fromFile(
                range: range, days: days, kindNames: kindNames, now: now, environment: environment)
        }
        let output = StandardOutput()
        if json {
            for day in statistics { output.write(day.jsonObject + "\n") }
        } else if csv {
            output.write(DayStatistics.csvHeader(kindNames: kindNames) + "\n")
            for day in statistics { output.write(day.csvRow + "\n") }
        } else {
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            output.write(StatsRendering.report(statistics, colour: isatty(1) == 1 && !noColor))
        }
        do {
            try output.flush()
        } catch {
            StandardError.writeLine("sitbreakctl: \(error.message)")
            throw ExitStatus.outputFailed
        }
    }

    /// The days from the running daemon's `stats`, with its kinds; nil when no daemon answers
    /// (then the file is read).
    private func fromDaemon(range: StatsRange, days: LocalDays) throws -> ([DayStatistics], [String])? {
        let result: JSONValue
        do throws(ClientError) {
            let client = try ControlClient(path: try connection.socketPath())
            defer { client.close() }
            result = try client.call(.stats(StatsQuery(since: range.first, until: range.last, hours: !json && !csv)))
        } catch {
            switch error {
            case .noRuntimeDirectory, .notReachable: return nil
            default:
                StandardError.writeLine("sitbreakctl: " + ConnectionOptions.message(for: error))
                throw ConnectionOptions.exitCode(for: error)
            }
        }
        do throws(ClientError) {
            guard let list = result["days"]?.arrayValue else { throw .malformedReply("stats: no \"days\" list") }
            var kindNames: [String] = []
            if case .object(let members)? = (list.first ?? result["totals"] ?? .null)["kinds"] {
                kindNames = members.map(\.0)
            }
            var statistics: [DayStatistics] = []
            for value in list { statistics.append(try DayStatistics(reply: value, kindNames: kindNames, days: days)) }
            return (statistics, kindNames)
        } catch {
            StandardError.writeLine("sitbreakctl: " + ConnectionOptions.message(for: error))
            throw ConnectionOptions.exitCode(for: error)
        }
    }

    /// The days read from the history file, read-only.
    private func fromFile(
        range: StatsRange, days: LocalDays, kindNames: [String], now: Timestamp, environment: [String: String]
    ) throws -> [DayStatistics] {
        guard let path = history ?? Self.defaultHistoryPath(environment: environment) else {
            StandardError.writeLine("sitbreakctl: neither XDG_STATE_HOME nor HOME is set; give --history")
            throw ExitStatus.badInput
        }
        do {
            let store = try HistoryStore(path: path, access: .readOnly, now: now)
            return try store.statistics(
                days: days, kindNames: kindNames, first: range.first, last: range.last, now: now)
        } catch {
            StandardError.writeLine("sitbreakctl: \(error)")
            throw ExitStatus.badInput
        }
    }

    /// `$XDG_STATE_HOME/sitbreak/history.sqlite3`, else `$HOME/.local/state/sitbreak/history.sqlite3`.
    static func defaultHistoryPath(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/sitbreak/history.sqlite3"
        }
        return environment["HOME"].map { $0 + "/.local/state/sitbreak/history.sqlite3" }
    }
}
