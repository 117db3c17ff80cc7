import SitbreakEngine

extension Schedule {
    /// A readable, multi-line description of the schedule for `sitbreakctl config check`.
    ///
    /// Settings are listed under their configuration key names, so that a person can find in
    /// the file what they read here; kinds are one aligned row each. No trailing newline.
    ///
    /// ```
    /// Settings
    ///   idle_threshold               2m
    ///   ...
    ///   active_hours                 Mon–Fri 08:30–18:00
    /// Breaks
    ///   posture  every 20m  nudge                                    snooze 10m  max 2 snoozes  4 suggestions
    ///   walk     every 50m  duration 5m   renotify 5m  up to 3 nags  snooze 10m  max 2 snoozes  4 suggestions
    /// ```
    public func summary() -> String {
        let hours = activeHours.isEmpty ? ["always"] : activeHours.map(ActiveHoursText.describe)
        var settings: [(String, String)] = [
            ("idle_threshold", DurationText.format(idleThreshold)),
            ("coalesce", DurationText.format(coalesce)),
            ("day_starts", TimeOfDayText.format(dayStartsMinute)),
            ("daily_limit", dailyLimit.map(DurationText.format) ?? "off"),
            ("pause_default", DurationText.format(pauseDefault)),
            ("inhibitors_count_as_sitting", inhibitorsCountAsSitting ? "true" : "false"),
            ("active_hours", hours[0]),
        ]
        settings += hours.dropFirst().map { ("", $0) }

        var lines = ["Settings"]
        let keyWidth = settings.map(\.0.count).max() ?? 0
        for (key, value) in settings {
            lines.append("  " + key.padding(to: keyWidth) + "  " + value)
        }

        lines.append("Breaks")
        let rows = kinds.map { kind -> [String] in
            let nudge = kind.isNudge
            return [
                kind.name,
                "every \(DurationText.format(kind.every))",
                nudge ? "nudge" : "duration \(DurationText.format(kind.duration))",
                nudge ? "" : "renotify \(DurationText.format(kind.renotify))",
                nudge ? "" : kind.maxNags.map { "up to \($0) \($0 == 1 ? "nag" : "nags")" } ?? "unlimited nags",
                "snooze \(DurationText.format(kind.snooze))",
                kind.maxSnoozes.map { "max \($0) \($0 == 1 ? "snooze" : "snoozes")" } ?? "unlimited snoozes",
                kind.suggestions.count == 1 ? "1 suggestion" : "\(kind.suggestions.count) suggestions",
            ]
        }
        let columns = rows.first?.count ?? 0
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.indices.map { row[$0].padding(to: widths[$0]) }
            lines.append(String(("  " + cells.joined(separator: "  ")).trimmingTrailingSpaces()))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// Left-aligned in `width` characters.
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[..<end]
    }
}
