import SitbreakEngine
import SitbreakStats

extension Simulator {
    /// Runs the trace at `path` and passes each day's statistics to `emit`, oldest first, as soon
    /// as the day is final (`sitbreakctl simulate --stats`, docs/statistics.md).
    ///
    /// Every day from the trace's first instant to the last one before `end` is listed; the last
    /// ends at `end`. What the engine produced at or after `end` does not count: not its events
    /// (the simulation emits none there) and not a presence change that an input at the `end`
    /// instant made (such as a lock back-dating an absence).
    public static func runStatistics(
        tracePath path: String, file: String? = nil, schedule: Schedule, timeZone: any LocalTimeZone,
        emit: (DayStatistics) -> Void
    ) throws(TraceError) {
        var run = StatisticsRun(schedule: schedule, timeZone: timeZone)
        try forEachStep(tracePath: path, file: file) { step in run.apply(step, emit: emit) }
    }

    /// Runs a trace held in memory and returns its days' statistics; for tests.
    public static func runStatistics(
        text: String, file: String, schedule: Schedule, timeZone: any LocalTimeZone
    ) throws(TraceError) -> [DayStatistics] {
        var run = StatisticsRun(schedule: schedule, timeZone: timeZone)
        var days: [DayStatistics] = []
        for step in try TraceParser.parse(text: text, file: file) { run.apply(step) { days.append($0) } }
        return days
    }
}

/// A trace run that feeds the day statistics instead of printing events.
struct StatisticsRun {
    let schedule: Schedule
    let timeZone: any LocalTimeZone
    var runner: TraceRunner
    var statistics: DayStatisticsAccumulator?
    /// Changes learnt at the latest input's instant: dropped if the trace ends at that instant.
    var held: [PresenceChange] = []

    init(schedule: Schedule, timeZone: any LocalTimeZone) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.runner = TraceRunner(schedule: schedule, timeZone: timeZone)
        runner.collectsPresenceChanges = true
    }

    mutating func apply(_ step: TraceStep, emit: (DayStatistics) -> Void) {
        guard !runner.isFinished else { return }
        if statistics == nil {
            statistics = DayStatisticsAccumulator(schedule: schedule, timeZone: timeZone, start: step.time)
        }
        // Moved out while the runner streams into it, so it is not copied.
        var days = statistics!
        statistics = nil
        defer { statistics = days }
        runner.apply(step) { days.record($0) }
        let pending = held + runner.takePresenceChanges()
        held = []
        for change in pending {
            if change.learnedAt < step.time { days.record(change) } else { held.append(change) }
        }
        if case .end = step.action {
            held = []
            for day in days.finish(at: step.time) { emit(day) }
        } else {
            for day in days.takeFinished(before: step.time) { emit(day) }
        }
    }
}
