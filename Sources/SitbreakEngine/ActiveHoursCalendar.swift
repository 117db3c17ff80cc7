/// Answers "are reminders allowed by `active_hours` at this instant, and until when?" and
/// "when does the day containing this instant start and end?" in local time.
///
/// Both questions are asked at nearly every step, so the last answer is kept until it expires;
/// the time-zone rules are consulted only when the engine crosses a boundary.
struct ActiveHoursCalendar: Sendable {
    let entries: [ActiveHoursEntry]
    let dayStartsMinute: Int
    let timeZone: any LocalTimeZone
    private var cached: (from: Timestamp, until: Timestamp, active: Bool)?

    init(entries: [ActiveHoursEntry], dayStartsMinute: Int, timeZone: any LocalTimeZone) {
        self.entries = entries
        self.dayStartsMinute = dayStartsMinute
        self.timeZone = timeZone
    }

    /// Whether `time` lies inside active hours, and the instant at which that answer changes
    /// (or a later instant at which to ask again).
    mutating func state(at time: Timestamp) -> (active: Bool, until: Timestamp) {
        if entries.isEmpty { return (true, .distantFuture) }
        if let cached, cached.from <= time, time < cached.until { return (cached.active, cached.until) }
        let answer = compute(at: time)
        cached = (time, answer.until, answer.active)
        return answer
    }

    private func compute(at time: Timestamp) -> (active: Bool, until: Timestamp) {
        let today = timeZone.localDate(at: time)
        // Windows that start yesterday can run past midnight into today; a week ahead always
        // contains the next window start of a weekly schedule.
        var windows: [(start: Timestamp, end: Timestamp)] = []
        for offset in -1...8 {
            let date = today.adding(days: Int64(offset))
            let weekday = date.weekday
            for entry in entries where entry.days.contains(weekday) {
                let start = timeZone.instant(on: date, minuteOfDay: entry.startMinute)
                let endDate = entry.isOvernight ? date.adding(days: 1) : date
                let end = timeZone.instant(on: endDate, minuteOfDay: entry.endMinute)
                if end > start { windows.append((start, end)) }
            }
        }
        windows.sort { $0.start < $1.start }
        // Merge overlapping and touching windows so the answer changes only at real edges.
        var merged: [(start: Timestamp, end: Timestamp)] = []
        for window in windows {
            if let last = merged.last, window.start <= last.end {
                merged[merged.count - 1].end = max(last.end, window.end)
            } else {
                merged.append(window)
            }
        }
        for window in merged {
            if window.start <= time && time < window.end { return (true, window.end) }
            if window.start > time { return (false, window.start) }
        }
        return (false, timeZone.instant(on: today.adding(days: 7), minuteOfDay: 0))
    }

    /// The local day (starting at `day_starts`) that contains `time`: its start and end.
    func day(containing time: Timestamp) -> (start: Timestamp, end: Timestamp) {
        let day = LocalDays(dayStartsMinute: dayStartsMinute, timeZone: timeZone).day(containing: time)
        return (day.start, day.end)
    }
}
