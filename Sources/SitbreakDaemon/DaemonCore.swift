import SitbreakConfig
import SitbreakEngine

/// The daemon without I/O: the engine, the configuration it runs on, the events of the current
/// batch, and the rules for what the end of a batch reports, saves and announces.
///
/// The shell (``Daemon``) feeds it inputs at instants it reads from the clock and carries out the
/// ``BatchPlan`` that ``endBatch(at:)`` returns; nothing here touches a clock, a file or a socket,
/// so these rules are tested without any.
struct DaemonCore {
    /// The schedule in use.
    var schedule: Schedule
    /// The `[presence]` table in use.
    var presencePreferences: PresencePreferences
    /// `[history] keep`: seconds of history kept, nil for everything.
    var historyKeep: Seconds?
    /// Where the schedule came from: a path, or the built-in default.
    var configSource: String
    /// The break engine.
    var engine: Engine
    /// The local time zone, for the `STATUS=` line's clock times.
    let timeZone: any LocalTimeZone

    /// Events the engine produced in this batch, not reported yet.
    private var pendingEvents: [Event] = []
    /// Changes between sitting and absence taken from the engine in this batch, not stored yet.
    private var pendingChanges: [PresenceChange] = []
    /// Whether the engine's state changed since the last plan.
    private var stateChanged = false
    /// The `STATUS=` line last handed out.
    private var lastStatusLine: String?

    /// A core running `configuration` from `source` on a fresh engine.
    init(configuration: Configuration, source: String, timeZone: any LocalTimeZone) {
        schedule = configuration.schedule
        presencePreferences = configuration.presence
        historyKeep = configuration.history.keep
        configSource = source
        self.timeZone = timeZone
        engine = Engine(schedule: configuration.schedule, timeZone: timeZone)
    }

    /// What the end of a batch must do, in this order: save the state (before anything that
    /// reports it, so that what a client or the journal was told survives a crash), append the
    /// events and presence changes to the history, report the events, announce the new state to
    /// subscribers, refresh `STATUS=`, wake at `wake`.
    struct BatchPlan {
        /// The snapshot to save, nil when the state did not change.
        var save: EngineSnapshot?
        /// The events to report (journal, subscribers), oldest first.
        var events: [Event]
        /// Whether subscribers get a new `state` snapshot (the state changed).
        var announceState: Bool { save != nil }
        /// The new `STATUS=` line, nil when it is unchanged.
        var statusLine: String?
        /// The engine's next deadline, nil when none.
        var nextDeadline: Timestamp?
        /// The presence changes of the batch, for the history store with ``events``.
        var changes: [PresenceChange] = []
    }

    /// Collects `events` for the end of the batch; any event means the state changed.
    mutating func record(_ events: [Event]) {
        guard !events.isEmpty else { return }
        pendingEvents += events
        stateChanged = true
    }

    /// Applies `input` at `now` and collects its events; returns them.
    @discardableResult
    mutating func apply(_ input: Input, at now: Timestamp) -> [Event] {
        let events = engine.apply(input, at: now)
        record(events)
        return events
    }

    /// Replaces the engine with `rebuild(engine)` (a clock step, a time-zone change, a reload),
    /// taking the presence changes the old engine recorded first: the new one starts without them.
    mutating func rebuildEngine(_ rebuild: (Engine) -> Engine) {
        pendingChanges += engine.takePresenceChanges()
        engine = rebuild(engine)
        stateChanged = true
    }

    /// The wall clock was stepped by `delta` seconds; `now` is the engine's instant before the
    /// step. The engine is settled through `now`, then its instants move with the clock
    /// (``Engine/clockStepped(by:)``).
    ///
    /// A stretch of sitting going on is cut at the step for the history (docs/statistics.md
    /// §5.1): it ends at `now` and goes on from `now + delta`, so the stored spans add up to the
    /// time sat, as the engine's durations do. Left open, the span would count a step forwards as
    /// sitting and lose sitting to a step backwards; stored rows keep the instants the clock
    /// showed when they were written.
    mutating func wallClockStepped(by delta: Seconds, at now: Timestamp) {
        record(engine.advance(through: now))
        rebuildEngine { $0.clockStepped(by: delta) }
        if delta != 0, engine.snapshot.presentSince != nil {
            pendingChanges += [.absent(since: now, learnedAt: now), .sitting(since: now + delta)]
        }
    }

    /// Marks the state changed without an event (a reload, a clock step, the first save).
    mutating func markChanged() {
        stateChanged = true
    }

    /// Settles the engine at `now` and says what the batch's end must do; the next batch starts
    /// empty.
    mutating func endBatch(at now: Timestamp) -> BatchPlan {
        record(engine.advance(through: now))
        pendingChanges += engine.takePresenceChanges()
        let line = statusLine(engine.status(at: now))
        let plan = BatchPlan(
            save: stateChanged ? engine.snapshot : nil, events: pendingEvents,
            statusLine: line == lastStatusLine ? nil : line, nextDeadline: engine.nextDeadline,
            changes: pendingChanges)
        pendingEvents = []
        pendingChanges = []
        stateChanged = false
        lastStatusLine = line
        return plan
    }

    /// The one-line summary for `STATUS=`, in absolute local times so it stays true without a
    /// periodic update: "sitting since 09:36 · walk at 10:26".
    func statusLine(_ status: EngineStatus) -> String {
        var parts: [String] = []
        if status.suspended {
            parts.append("suspended")
        } else if let since = status.sittingSince {
            parts.append("sitting since \(clock(since))")
            let next = status.kinds.compactMap { kind in kind.nextReminder.map { (kind.kind.name, $0) } }
                .min { $0.1 < $1.1 }
            if let next { parts.append("\(next.0) at \(clock(next.1))") }
        } else if let since = status.awaySince {
            parts.append("away since \(clock(since))")
        } else {
            parts.append("waiting for the first input")
        }
        if let paused = status.pausedUntil { parts.append("paused until \(clock(paused))") }
        return parts.joined(separator: " · ")
    }

    /// `HH:MM` in local time.
    func clock(_ time: Timestamp) -> String {
        ClockText.hoursMinutes(minuteOfDay: ClockText.localDayAndSecond(of: time, in: timeZone).secondOfDay / 60)
    }
}
