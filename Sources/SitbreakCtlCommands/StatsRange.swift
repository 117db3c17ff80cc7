import ArgumentParser
import SitbreakEngine
import SitbreakStats

/// The days `sitbreakctl stats` shows, from its options; pure, so every case is testable.
struct StatsRange: Hashable {
    /// The first day shown.
    var first: CivilDate
    /// The last day shown.
    var last: CivilDate

    /// The range the options ask for, on a `today`: today and the 7 days before it by default;
    /// `--week` the current week from Monday; `--month` the current month from the 1st;
    /// `--since DATE [--until DATE]` as ``resolve(today:since:until:)`` reads them.
    ///
    /// - Throws: a message for a usage error (exit 64): a date that is not `YYYY-MM-DD` or not a
    ///   real date, `--until` before `--since`, `--until` without `--since`, two ranges at once.
    static func resolve(
        today: CivilDate, week: Bool, month: Bool, since: String?, until: String?
    ) throws(StatsUsageError) -> StatsRange {
        let chosen = [week, month, since != nil].filter { $0 }.count
        guard chosen <= 1 else { throw StatsUsageError("choose one of --week, --month and --since") }
        if let named = try resolve(today: today, since: since, until: until) { return named }
        if week { return StatsRange(first: today.adding(days: -Int64(today.weekday.rawValue)), last: today) }
        if month { return StatsRange(first: CivilDate(year: today.year, month: today.month, day: 1), last: today) }
        return StatsRange(first: today.adding(days: -7), last: today)
    }

    /// The days `--since DATE [--until DATE]` name, on a `today` (until today without `--until`);
    /// nil without `--since`, where each command has its own default. `stats` and `history` both
    /// read their dates here.
    ///
    /// - Throws: a message for a usage error (exit 64): a date that is not `YYYY-MM-DD` or not a
    ///   real date, `--until` before `--since`, `--until` without `--since`.
    static func resolve(today: CivilDate, since: String?, until: String?) throws(StatsUsageError) -> StatsRange? {
        guard let since else {
            if until != nil { throw StatsUsageError("--until needs --since") }
            return nil
        }
        let first = try date(since, option: "--since")
        let last = try until.map { (text) throws(StatsUsageError) in try date(text, option: "--until") } ?? today
        guard first <= last else {
            throw StatsUsageError("--until \(last.isoText) is before --since \(first.isoText)")
        }
        return StatsRange(first: first, last: last)
    }

    private static func date(_ text: String, option: String) throws(StatsUsageError) -> CivilDate {
        guard let date = CivilDate(isoText: text) else {
            throw StatsUsageError("\(option) \"\(text)\" is not a date (YYYY-MM-DD, e.g. 2026-11-30)")
        }
        return date
    }
}

/// `--since DATE [--until DATE]`: the days `stats` and `history` read, declared once.
struct DayRangeOptions: ParsableArguments {
    /// The first day, as typed.
    @Option(name: .long, help: ArgumentHelp("The first day (YYYY-MM-DD).", valueName: "date")) var since: String?
    /// The last day, as typed.
    @Option(name: .long, help: ArgumentHelp("The last day (YYYY-MM-DD; today without it).", valueName: "date"))
    var until: String?
}

/// A wrong `stats` or `history` command line, said in words (exit 64).
struct StatsUsageError: Error, Hashable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
