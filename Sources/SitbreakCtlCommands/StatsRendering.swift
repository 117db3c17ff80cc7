import SitbreakEngine
import SitbreakStats

/// How `sitbreakctl stats` draws days for a person: a table, bars of sitting per day, breaks
/// against reminders per kind, and a weekday × hour heat map. Pure functions of the days, so the
/// output is tested byte for byte; colour (ANSI) only when asked (a terminal without `NO_COLOR`).
enum StatsRendering {
    /// The whole report: table, sitting bars, breaks per kind, heat map.
    static func report(_ days: [DayStatistics], colour: Bool) -> String {
        [table(days), sittingBars(days, colour: colour), breaks(days, colour: colour), heatMap(days, colour: colour)]
            .joined(separator: "\n")
    }

    /// One row per day: sitting, longest stretch, daily limit, reminders and breaks (all kinds).
    static func table(_ days: [DayStatistics]) -> String {
        var rows = [["day", "sitting", "longest", "limit", "reminders", "breaks", "late (median)"]]
        for day in days {
            let late = day.kinds.flatMap(\.lateness)
            var kinds = KindStatistics(kind: "")
            kinds.lateness = late
            rows.append([
                "\(day.date.weekday.abbreviation) \(day.day)", hours(day.sittingSeconds),
                hours(day.longestSittingSeconds),
                day.dailyLimit ? "reached" : "",
                String(day.kinds.reduce(0) { $0 + $1.reminders }), String(day.kinds.reduce(0) { $0 + $1.breaks }),
                kinds.latenessMedian.map(minutes) ?? "",
            ])
        }
        return grid(rows)
    }

    /// Sitting hours per day as horizontal bars (eighth blocks), scaled to the longest day.
    static func sittingBars(_ days: [DayStatistics], colour: Bool, width: Int = 40) -> String {
        var out = "Sitting per day\n"
        let most = max(days.map(\.sittingSeconds).max() ?? 0, 1)
        for day in days {
            let bar = blocks(eighths: Int(day.sittingSeconds * Int64(width) * 8 / most))
            out += "\(day.day)  \(paint(bar, 36, colour))\(bar.isEmpty ? "" : " ")\(hours(day.sittingSeconds))\n"
        }
        return out
    }

    /// Per kind over the days: breaks taken (natural, after a reminder, manual) against reminders.
    static func breaks(_ days: [DayStatistics], colour: Bool, width: Int = 30) -> String {
        var out = "Breaks taken / reminders\n"
        guard let names = days.first?.kinds.map(\.kind) else { return out }
        let nameWidth = names.map(\.count).max() ?? 0
        for (i, name) in names.enumerated() {
            let kinds = days.map { $0.kinds[i] }
            let reminders = kinds.reduce(0) { $0 + $1.reminders + $1.covered }
            let taken = kinds.reduce(0) { $0 + $1.breaks }
            let natural = kinds.reduce(0) { $0 + $1.natural }
            let total = max(reminders, taken, 1)
            let filled = taken * width / total
            let bar =
                paint(String(repeating: "█", count: filled), 32, colour) + String(repeating: "░", count: width - filled)
            out += pad(name, nameWidth) + "  " + bar + "  \(taken)/\(reminders)"
            out += natural > 0 ? " (\(natural) natural)\n" : "\n"
        }
        return out
    }

    /// Weekday × hour: how much was sat in each local hour, averaged over the days of that
    /// weekday shown, drawn with shade blocks (` ░▒▓█`).
    static func heatMap(_ days: [DayStatistics], colour: Bool) -> String {
        var total = Array(repeating: Array(repeating: Int64(0), count: 24), count: 7)
        var count = Array(repeating: 0, count: 7)
        for day in days {
            let w = day.date.weekday.rawValue
            count[w] += 1
            for h in 0..<24 { total[w][h] += day.sittingByHour[h] }
        }
        let shades: [Character] = [" ", "░", "▒", "▓", "█"]
        var out = "Sitting by hour    0     6     12    18\n"
        for weekday in Weekday.allCases {
            let w = weekday.rawValue
            var line = ""
            for h in 0..<24 {
                let average = count[w] == 0 ? 0 : total[w][h] / Int64(count[w])
                // Quarters of an hour, rounded up so any sitting shows.
                let level = Int(min(4, (average + 899) / 900))
                line.append(shades[level])
            }
            out +=
                ("\(weekday.abbreviation)               " + paint(line.trimmingTrailingSpaces(), 33, colour))
                .trimmingTrailingSpaces() + "\n"
        }
        return out
    }

    /// `3h05` for durations of hours, `45m` below.
    static func hours(_ seconds: Seconds) -> String {
        let minutes = seconds / 60
        return minutes >= 60 ? "\(minutes / 60)h\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)" : "\(minutes)m"
    }

    static func minutes(_ seconds: Seconds) -> String { "\(seconds / 60)m" }

    /// `eighths` eighths of a character cell as full blocks and one partial block.
    static func blocks(eighths: Int) -> String {
        let partial: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }

    /// `text` in ANSI colour `code` when `colour`.
    static func paint(_ text: String, _ code: Int, _ colour: Bool) -> String {
        colour && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// Left-aligned first column, right-aligned numbers, two spaces between.
    static func grid(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
        return rows.map { row in
            row.indices.map { c in
                c == 0 ? pad(row[c], widths[c]) : String(repeating: " ", count: widths[c] - row[c].count) + row[c]
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// Without spaces at the end (golden files and terminals do not keep them apart).
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
