extension Event {
    /// The event as a sentence a person reads in `journalctl` (the `MESSAGE` field), with local
    /// clock times, e.g. "Time to stand up and walk for a few minutes. You have sat 50 minutes.
    /// Take an easy five-minute walk to get the blood flowing again."
    public func sentence(in zone: some LocalTimeZone) -> String {
        switch body {
        case .reminder(let r):
            var parts = [Self.closed(r.message), "You have sat \(Self.spoken(r.sittingSeconds))."]
            if r.nag > 0 { parts.append("(Reminder \(r.nag + 1) of this series.)") }
            if !r.suggestion.isEmpty { parts.append(Self.closed(r.suggestion)) }
            if !r.covers.isEmpty {
                parts.append(
                    "This also counts as the \(Self.list(r.covers)) \(r.covers.count == 1 ? "break" : "breaks").")
            }
            return parts.joined(separator: " ")
        case .breakTaken(let kind, let natural, let manual, let away):
            let breakName = "\(Self.capitalized(kind)) break"
            if manual {
                return away > 0
                    ? "\(breakName) marked done (away \(Self.spoken(away)))."
                    : "\(breakName) marked done."
            }
            return
                "\(breakName) taken (away \(Self.spoken(away)), \(natural ? "before any reminder" : "after a reminder"))."
        case .snoozed(let kind, let until):
            return "\(Self.capitalized(kind)) reminders snoozed until \(Self.clock(until, after: time, in: zone))."
        case .skipped(let kind):
            return "\(Self.capitalized(kind)) break skipped; its sitting time starts again from zero."
        case .refused(let command, let refusal):
            let what = command.kind.map { "\(command.word) \($0)" } ?? command.word
            return "Refused \"\(what)\": \(Self.closed(refusal.reason))"
        case .paused(let until):
            return "Reminders paused until \(Self.clock(until, after: time, in: zone)); sitting is still counted."
        case .resumed:
            return "Reminders resumed."
        case .dailyLimit(let sitting):
            return "You have sat \(Self.spoken(sitting)) today, your daily limit. Time to plan a longer break."
        case .away(let since):
            return "Away since \(Self.clock(since, after: time, in: zone))."
        case .back(let away):
            return "Back after \(Self.spoken(away))."
        }
    }

    /// A duration as people say it: "50 minutes", "1 hour 5 minutes", "1 minute 30 seconds",
    /// "45 seconds". Seconds are dropped once there are hours: nobody reads "2 hours 0 minutes 7
    /// seconds" in a log.
    public static func spoken(_ seconds: Seconds) -> String {
        let seconds = max(0, seconds)
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        func unit(_ n: Int64, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var parts: [String] = []
        if h > 0 { parts.append(unit(h, "hour")) }
        if m > 0 { parts.append(unit(m, "minute")) }
        if h == 0 && (s > 0 || parts.isEmpty) { parts.append(unit(s, "second")) }
        return parts.joined(separator: " ")
    }

    /// `instant` in local time: `HH:MM`, with `:SS` when it is not on a whole minute (live tests
    /// and short configurations run in seconds), and with the local date when it falls on another
    /// day than `reference`.
    static func clock(_ instant: Timestamp, after reference: Timestamp, in zone: some LocalTimeZone) -> String {
        let (day, secondOfDay) = ClockText.localDayAndSecond(of: instant, in: zone)
        var text =
            secondOfDay % 60 == 0
            ? ClockText.hoursMinutes(minuteOfDay: secondOfDay / 60)
            : ClockText.hoursMinutesSeconds(secondOfDay: secondOfDay)
        if day != ClockText.localDayAndSecond(of: reference, in: zone).day {
            let date = CivilDate(daysSinceEpoch: day)
            text =
                "\(date.year)-\(ClockText.twoDigits(Int64(date.month)))-\(ClockText.twoDigits(Int64(date.day))) "
                + text
        }
        return text
    }

    /// `text` ending in a full stop unless it already ends a sentence; configured messages may not.
    private static func closed(_ text: String) -> String {
        let trimmed = text.hasSuffix(" ") ? String(text.reversed().drop(while: { $0 == " " }).reversed()) : text
        guard let last = trimmed.last else { return trimmed }
        return ".!?…".contains(last) ? trimmed : trimmed + "."
    }

    private static func capitalized(_ kind: String) -> String {
        kind.prefix(1).uppercased() + kind.dropFirst()
    }

    /// "posture", "posture and walk", "posture, stretch and walk".
    private static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }
}
