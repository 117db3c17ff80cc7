import SitbreakEngine

/// `active_hours` entries: `DAYS HH:MM-HH:MM` (docs/engine.md §5.1).
///
/// DAYS is a day (`Mon`), a range (`Mon-Fri`, which may wrap: `Fri-Mon`) or a comma list
/// (`Mon,Wed,Fri`); a list may also hold ranges (`Mon-Wed,Fri`), which costs nothing and is
/// what `format` writes. Day names are matched without regard to case.
public enum ActiveHoursText {
    /// Why an entry was refused: `what is wrong; what would be valid`.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The explanation, e.g. `"Mon-Fry" is not a day range; use a day (Mon), …`.
        public var description: String

        /// Creates an error with its explanation.
        public init(_ description: String) {
            self.description = description
        }
    }

    /// Parses one entry such as `"Mon-Fri 08:30-18:00"`.
    public static func parse(_ text: String) throws(ParseError) -> ActiveHoursEntry {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 2 else {
            throw ParseError(
                "\(TOMLValue.quoted(text)) is not an active-hours entry; "
                    + "use DAYS HH:MM-HH:MM, e.g. \"Mon-Fri 08:30-18:00\""
            )
        }
        guard let days = parseDays(words[0]) else {
            throw ParseError(
                "\(TOMLValue.quoted(String(words[0]))) is not a day range; "
                    + "use a day (Mon), a range (Mon-Fri) or a list (Mon,Wed,Fri)"
            )
        }
        let times = words[1].split(separator: "-", omittingEmptySubsequences: false)
        guard times.count == 2 else {
            throw ParseError(
                "\(TOMLValue.quoted(String(words[1]))) is not a time range; use HH:MM-HH:MM, e.g. \"08:30-18:00\"")
        }
        guard let start = TimeOfDayText.parse(times[0]) else {
            throw ParseError(
                "\(TOMLValue.quoted(String(times[0]))) is not a start time; use HH:MM from 00:00 to 23:59")
        }
        guard let end = TimeOfDayText.parse(times[1], allowEndOfDay: true) else {
            throw ParseError("\(TOMLValue.quoted(String(times[1]))) is not an end time; use HH:MM from 00:00 to 24:00")
        }
        return ActiveHoursEntry(days: days, startMinute: start, endMinute: end)
    }

    /// The days of a DAYS field (`Mon`, `Mon-Fri`, `Fri-Mon`, `Mon,Wed,Fri`), or nil.
    public static func parseDays(_ text: some StringProtocol) -> Set<Weekday>? {
        var days: Set<Weekday> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            switch ends.count {
            case 1:
                guard let day = Weekday(abbreviation: ends[0]) else { return nil }
                days.insert(day)
            case 2:
                guard let first = Weekday(abbreviation: ends[0]), let last = Weekday(abbreviation: ends[1]) else {
                    return nil
                }
                // Wrapping past Sunday is what `Fri-Mon` means.
                let count = (last.rawValue - first.rawValue + 7) % 7 + 1
                for offset in 0..<count { days.insert(Weekday(rawValue: (first.rawValue + offset) % 7)!) }
            default:
                return nil
            }
        }
        return days
    }

    /// The entry in configuration syntax, e.g. `Mon-Fri 08:30-18:00`; `parse` reads it back.
    public static func format(_ entry: ActiveHoursEntry) -> String {
        let days = runs(entry.days).map { run in
            switch run.count {
            case 1: run[0].abbreviation
            case 2: run[0].abbreviation + "," + run[1].abbreviation
            default: run[0].abbreviation + "-" + run[run.count - 1].abbreviation
            }
        }.joined(separator: ",")
        return "\(days) \(TimeOfDayText.format(entry.startMinute))-\(TimeOfDayText.format(entry.endMinute))"
    }

    /// The entry in words for people: `Mon–Fri 08:30–18:00`, `Fri 22:00–02:00 (next day)`.
    public static func describe(_ entry: ActiveHoursEntry) -> String {
        var out = "\(describeDays(entry.days)) "
        out += "\(TimeOfDayText.format(entry.startMinute))–\(TimeOfDayText.format(entry.endMinute))"
        if entry.isOvernight { out += " (next day)" }
        return out
    }

    /// Days in words: `every day`, `Mon–Fri`, `Fri–Mon`, `Mon, Wed, Fri`, `Sat, Sun`.
    public static func describeDays(_ days: Set<Weekday>) -> String {
        if days.count == 7 { return "every day" }
        return runs(days).map { run in
            switch run.count {
            case 1: run[0].abbreviation
            case 2: run[0].abbreviation + ", " + run[1].abbreviation
            default: run[0].abbreviation + "–" + run[run.count - 1].abbreviation
            }
        }.joined(separator: ", ")
    }

    /// Consecutive days, wrapping past Sunday, ordered by the first day of each run from
    /// Monday, so that Fri, Sat, Sun, Mon is one run `Fri…Mon`.
    private static func runs(_ days: Set<Weekday>) -> [[Weekday]] {
        if days.count == 7 { return [Weekday.allCases] }
        var result: [[Weekday]] = []
        for start in Weekday.allCases where days.contains(start) {
            let previous = Weekday(rawValue: (start.rawValue + 6) % 7)!
            guard !days.contains(previous) else { continue }
            var run = [start]
            var next = Weekday(rawValue: (start.rawValue + 1) % 7)!
            while days.contains(next) {
                run.append(next)
                next = Weekday(rawValue: (next.rawValue + 1) % 7)!
            }
            result.append(run)
        }
        return result
    }
}
