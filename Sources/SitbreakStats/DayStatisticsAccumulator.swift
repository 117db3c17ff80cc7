import SitbreakEngine

/// Adds up the day statistics from what the engine saw: its events and its presence changes
/// (``PresenceChange``), for `sitbreakctl simulate --stats`, the daemon and the history store
/// alike, so all three agree exactly.
///
/// Feed it every event and every presence change from the engine's first instant on, in the
/// order the engine produced them (events and changes may interleave in any order within what one
/// call of the engine produced); take finished days as they become final with
/// ``takeFinished(before:)`` and the rest with ``finish(at:)``.
///
/// Sitting is the union of the spans from each `sitting` change to the next `absent` change's
/// (back-dated) start, cut at the day boundaries: exactly the sitting time `daily_limit` counts
/// (docs/engine.md §2, §6), with the part of a provisional idle that an absence takes back
/// removed even when the absence began the day before it was recognised.
public struct DayStatisticsAccumulator: Sendable {
    /// The local days counted in.
    public let days: LocalDays
    /// The configured kinds, in the schedule's order.
    public let kindNames: [String]

    /// Days not yet handed out, contiguous, oldest first; empty before the first instant.
    private var open: [DayStatistics] = []
    /// Start of the current sitting span; nil while absent.
    private var sittingSince: Timestamp?
    /// Per kind, the first reminder (own or covering) since the kind's last reset.
    private var firstReminder: [String: Timestamp] = [:]
    private let kindIndex: [String: Int]

    /// Creates an accumulator whose first day is the one containing `start`, the first instant
    /// the engine ran.
    public init(days: LocalDays, kindNames: [String], start: Timestamp) {
        self.days = days
        self.kindNames = kindNames
        var index: [String: Int] = [:]
        for (i, name) in kindNames.enumerated() { index[name] = i }
        self.kindIndex = index
        let first = days.day(containing: start)
        open = [DayStatistics(date: first.date, start: first.start, end: first.end, kindNames: kindNames)]
    }

    /// Creates an accumulator for a schedule's kinds and days.
    public init(schedule: Schedule, timeZone: any LocalTimeZone, start: Timestamp) {
        self.init(
            days: LocalDays(dayStartsMinute: schedule.dayStartsMinute, timeZone: timeZone),
            kindNames: schedule.kinds.map(\.name), start: start)
    }

    /// Whether a sitting span is open (the person counts as sitting, perhaps provisionally).
    public var isSitting: Bool { sittingSince != nil }

    /// Counts a change between sitting and absence.
    public mutating func record(_ change: PresenceChange) {
        switch change {
        case .sitting(let since):
            if sittingSince == nil { sittingSince = since }
        case .absent(let since, _):
            guard let start = sittingSince else { return }
            sittingSince = nil
            addSitting(from: start, to: max(start, since))
        }
    }

    /// Counts an event in the day that contains its time.
    public mutating func record(_ event: Event) {
        let d = dayIndex(containing: event.time)
        switch event.body {
        case .reminder(let r):
            if let k = kindIndex[r.kind] { open[d].kinds[k].reminders += 1 }
            if firstReminder[r.kind] == nil { firstReminder[r.kind] = event.time }
            for name in r.covers {
                if let k = kindIndex[name] { open[d].kinds[k].covered += 1 }
                if firstReminder[name] == nil { firstReminder[name] = event.time }
            }
        case .breakTaken(let kind, let natural, let manual, let away):
            defer { firstReminder[kind] = nil }
            guard let k = kindIndex[kind] else { return }
            open[d].kinds[k].breaks += 1
            if manual {
                open[d].kinds[k].manual += 1
            } else if natural {
                open[d].kinds[k].natural += 1
            } else if let first = firstReminder[kind] {
                open[d].kinds[k].lateness.append(max(0, (event.time - away) - first))
            }
        case .snoozed(let kind, _):
            if let k = kindIndex[kind] { open[d].kinds[k].snoozed += 1 }
        case .skipped(let kind):
            firstReminder[kind] = nil
            if let k = kindIndex[kind] { open[d].kinds[k].skipped += 1 }
        case .dailyLimit:
            open[d].dailyLimit = true
        case .refused, .paused, .resumed, .away, .back:
            break
        }
    }

    /// Learns from an event before the first day only when each kind's reminder series began (for
    /// the lateness of a break taken early in the first day); counts nothing.
    public mutating func prime(with event: Event) {
        switch event.body {
        case .reminder(let r):
            for name in [r.kind] + r.covers where firstReminder[name] == nil { firstReminder[name] = event.time }
        case .breakTaken(let kind, _, _, _), .skipped(let kind):
            firstReminder[kind] = nil
        default:
            break
        }
    }

    /// Hands out, oldest first, the days that can no longer change once everything the engine
    /// produced before `time` has been recorded: those that ended by `time`, except that while a
    /// sitting span is open only days that ended by its start are final (a later absence may be
    /// back-dated to any instant after it).
    public mutating func takeFinished(before time: Timestamp) -> [DayStatistics] {
        let limit = sittingSince.map { min($0, time) } ?? time
        // Lists the empty days up to `limit` too; the day containing it stays open.
        _ = dayIndex(containing: limit)
        var count = 0
        while count < open.count, open[count].end <= limit { count += 1 }
        let finished = Array(open.prefix(count))
        open.removeFirst(count)
        return finished
    }

    /// Ends the statistics at `end` (exclusive; a simulation's `end`, or now for a day so far):
    /// an open sitting span counts up to it, and every day not yet handed out up to the one
    /// containing the last instant before `end` is returned, the last one ending at `end`.
    public mutating func finish(at end: Timestamp) -> [DayStatistics] {
        if let start = sittingSince {
            sittingSince = nil
            if end > start { addSitting(from: start, to: end) }
        }
        guard let first = open.first, end > first.start else { return [] }
        let last = dayIndex(containing: end - 1)
        var result = Array(open.prefix(last + 1))
        result[last].end = min(result[last].end, end)
        open.removeFirst(last + 1)
        return result
    }

    /// The statistics up to `now` without ending anything: the days so far, the open span
    /// counted up to `now` (the live daemon's "today so far").
    public func daysSoFar(at now: Timestamp) -> [DayStatistics] {
        var copy = self
        return copy.finish(at: now)
    }

    /// The index in `open` of the day containing `time`, adding days up to it as needed.
    private mutating func dayIndex(containing time: Timestamp) -> Int {
        // Nothing comes before the first open day (see takeFinished); clamp to it regardless.
        if time < open[0].start { return 0 }
        while time >= open[open.count - 1].end {
            let next = days.day(containing: open[open.count - 1].end)
            open.append(DayStatistics(date: next.date, start: next.start, end: next.end, kindNames: kindNames))
        }
        var i = open.count - 1
        while open[i].start > time { i -= 1 }
        return i
    }

    /// Adds the sitting span `start..<end`, cut at day boundaries, each day counting its own part.
    private mutating func addSitting(from start: Timestamp, to end: Timestamp) {
        // A span that began before the first day (history read from a date on) counts from it.
        var from = max(start, open[0].start)
        guard end > from else { return }
        var d = dayIndex(containing: from)
        _ = dayIndex(containing: end - 1)
        while from < end {
            let part = min(end, open[d].end)
            open[d].sittingSeconds += part - from
            open[d].longestSittingSeconds = max(open[d].longestSittingSeconds, part - from)
            if open[d].firstActivity == nil { open[d].firstActivity = from }
            open[d].lastActivity = max(open[d].lastActivity ?? part, part)
            addHours(from: from, to: part, day: d)
            from = part
            d += 1
        }
    }

    /// Spreads `from..<to` over the local clock hours of day `d`.
    private mutating func addHours(from start: Timestamp, to end: Timestamp, day d: Int) {
        var t = start
        while t < end {
            let offset = days.timeZone.utcOffset(at: t)
            let local = t.secondsSinceEpoch + offset
            let secondOfDay = ((local % 86400) + 86400) % 86400
            let hour = Int(secondOfDay / 3600)
            let next = min(end, t + (3600 - secondOfDay % 3600))
            open[d].sittingByHour[hour] += next - t
            t = next
        }
    }
}
