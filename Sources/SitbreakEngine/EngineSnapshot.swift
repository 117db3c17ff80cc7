/// Everything the engine knows, as plain values: what the daemon writes to disk so that sitting
/// time, due kinds, nags, snoozes and a pause survive a restart, a crash or `kill -9`.
///
/// Kinds are matched by name when restored, so a snapshot survives a changed configuration:
/// kinds that disappeared are dropped, new kinds start from zero.
public struct EngineSnapshot: Hashable, Sendable {
    /// The instant up to which timed work was settled; nil if the engine never ran.
    public var now: Timestamp?
    /// Inputs at `now` were applied but what they released has not fired yet.
    public var settleAtNow: Bool
    /// `active`/`unlock` came last (true) or `idle` did (false).
    public var inputOngoing: Bool
    /// The last input the engine knows of.
    public var lastInput: Timestamp
    /// The screen is locked.
    public var locked: Bool
    /// When the machine went to sleep, if the resume has not come yet.
    public var suspendedAt: Timestamp?
    /// Where the absence a pending suspend starts begins.
    public var suspensionAbsenceStart: Timestamp?
    /// An idle inhibitor is held.
    public var inhibited: Bool
    /// When the last inhibitor was released.
    public var inhibitorReleasedAt: Timestamp
    /// Start of the absence the engine knows of; nil while present.
    public var absenceStart: Timestamp?
    /// Start of the current stretch of sitting; nil while absent.
    public var presentSince: Timestamp?
    /// The absence is the one before the first input (no events for it).
    public var absenceSilent: Bool
    /// Reminders are withheld until then.
    public var pausedUntil: Timestamp?
    /// The current local day for `daily_limit`, if one is set.
    public var day: Day?
    /// Per-kind state.
    public var kinds: [Kind]

    /// Creates the value from its parts (used when reading a saved snapshot).
    public init(
        now: Timestamp?, settleAtNow: Bool, inputOngoing: Bool, lastInput: Timestamp, locked: Bool,
        suspendedAt: Timestamp?, suspensionAbsenceStart: Timestamp?, inhibited: Bool, inhibitorReleasedAt: Timestamp,
        absenceStart: Timestamp?, presentSince: Timestamp?, absenceSilent: Bool, pausedUntil: Timestamp?, day: Day?,
        kinds: [Kind]
    ) {
        self.now = now
        self.settleAtNow = settleAtNow
        self.inputOngoing = inputOngoing
        self.lastInput = lastInput
        self.locked = locked
        self.suspendedAt = suspendedAt
        self.suspensionAbsenceStart = suspensionAbsenceStart
        self.inhibited = inhibited
        self.inhibitorReleasedAt = inhibitorReleasedAt
        self.absenceStart = absenceStart
        self.presentSince = presentSince
        self.absenceSilent = absenceSilent
        self.pausedUntil = pausedUntil
        self.day = day
        self.kinds = kinds
    }

    /// The day's sitting for `daily_limit`.
    public struct Day: Hashable, Sendable {
        /// When the day started and ends (local `day_starts`).
        public var start: Timestamp
        /// When the day ends.
        public var end: Timestamp
        /// Sitting banked before the current stretch.
        public var banked: Seconds
        /// Start of the current stretch, nil while absent.
        public var runningSince: Timestamp?
        /// The limit was reached this day.
        public var reached: Bool
        /// The `daily_limit` event waits to be released.
        public var pending: Bool

        /// Creates the value from its parts (used when reading a saved snapshot).
        public init(
            start: Timestamp, end: Timestamp, banked: Seconds, runningSince: Timestamp?, reached: Bool, pending: Bool
        ) {
            self.start = start
            self.end = end
            self.banked = banked
            self.runningSince = runningSince
            self.reached = reached
            self.pending = pending
        }
    }

    /// One kind's state.
    public struct Kind: Hashable, Sendable {
        /// The kind's name.
        public var name: String
        /// Sitting banked before the current stretch.
        public var banked: Seconds
        /// Start of the current stretch, nil while absent.
        public var runningSince: Timestamp?
        /// When the kind was last reset.
        public var resetAt: Timestamp
        /// The highest multiple of `every` reached since the reset.
        public var multiplesReached: Int
        /// The most recent reminder that counted for the kind since the reset.
        public var lastReminderAt: Timestamp?
        /// The next reminder of an unfinished series: its nag number …
        public var seriesNextNag: Int?
        /// … and the earliest instant it may fire.
        public var seriesNotBefore: Timestamp?
        /// Reminders withheld until then.
        public var snoozedUntil: Timestamp?
        /// Snoozes since the reset.
        public var snoozeCount: Int
        /// Reminders the kind emitted (rotates suggestions).
        public var remindersEmitted: Int

        /// Creates the value from its parts (used when reading a saved snapshot).
        public init(
            name: String, banked: Seconds, runningSince: Timestamp?, resetAt: Timestamp, multiplesReached: Int,
            lastReminderAt: Timestamp?, seriesNextNag: Int?, seriesNotBefore: Timestamp?, snoozedUntil: Timestamp?,
            snoozeCount: Int, remindersEmitted: Int
        ) {
            self.name = name
            self.banked = banked
            self.runningSince = runningSince
            self.resetAt = resetAt
            self.multiplesReached = multiplesReached
            self.lastReminderAt = lastReminderAt
            self.seriesNextNag = seriesNextNag
            self.seriesNotBefore = seriesNotBefore
            self.snoozedUntil = snoozedUntil
            self.snoozeCount = snoozeCount
            self.remindersEmitted = remindersEmitted
        }
    }
}

extension Engine {
    /// The engine's state as plain values. Commands waiting for a resume are not included.
    public var snapshot: EngineSnapshot {
        EngineSnapshot(
            now: now, settleAtNow: settleAtNow, inputOngoing: inputOngoing, lastInput: lastInput, locked: locked,
            suspendedAt: suspension?.at, suspensionAbsenceStart: suspension?.absenceStart, inhibited: inhibited,
            inhibitorReleasedAt: inhibitorReleasedAt, absenceStart: absence?.start, presentSince: presentSince,
            absenceSilent: absence?.silent ?? false,
            pausedUntil: pausedUntil,
            day: day.map {
                .init(
                    start: $0.start, end: $0.end, banked: $0.meter.banked, runningSince: $0.meter.runningSince,
                    reached: $0.reached, pending: $0.pending)
            },
            kinds: kinds.map {
                .init(
                    name: $0.kind.name, banked: $0.meter.banked, runningSince: $0.meter.runningSince,
                    resetAt: $0.resetAt, multiplesReached: $0.multiplesReached, lastReminderAt: $0.lastReminderAt,
                    seriesNextNag: $0.series?.nextNag, seriesNotBefore: $0.series?.notBefore,
                    snoozedUntil: $0.snoozedUntil, snoozeCount: $0.snoozeCount, remindersEmitted: $0.remindersEmitted)
            })
    }

    /// An engine for `schedule` that continues from `snapshot` (taken with this or another
    /// schedule): kinds are matched by name; a kind new to the schedule starts from zero.
    public init(schedule: Schedule, timeZone: any LocalTimeZone = FixedOffsetTimeZone.utc, snapshot: EngineSnapshot) {
        self.init(schedule: schedule, timeZone: timeZone)
        now = snapshot.now
        settleAtNow = snapshot.settleAtNow
        inputOngoing = snapshot.inputOngoing
        lastInput = snapshot.lastInput
        locked = snapshot.locked
        if let at = snapshot.suspendedAt { suspension = (at, snapshot.suspensionAbsenceStart ?? at) }
        inhibited = snapshot.inhibited
        inhibitorReleasedAt = snapshot.inhibitorReleasedAt
        absence = snapshot.absenceStart.map { Absence(start: $0, silent: snapshot.absenceSilent) }
        presentSince = snapshot.presentSince
        pausedUntil = snapshot.pausedUntil
        if schedule.dailyLimit != nil, let now {
            if let saved = snapshot.day {
                var restored = DayState(start: saved.start, end: saved.end)
                restored.meter = SittingMeter(banked: saved.banked, runningSince: saved.runningSince)
                restored.reached = saved.reached
                restored.pending = saved.pending
                day = restored
            } else {
                let bounds = calendar.day(containing: now)
                day = DayState(start: bounds.start, end: bounds.end)
                if absence == nil { day?.meter.start(at: now) }
            }
        }
        for i in kinds.indices {
            guard let saved = snapshot.kinds.first(where: { $0.name == kinds[i].kind.name }) else {
                if absence == nil, let now { kinds[i].meter.start(at: now) }
                continue
            }
            kinds[i].meter = SittingMeter(banked: saved.banked, runningSince: saved.runningSince)
            kinds[i].resetAt = saved.resetAt
            kinds[i].multiplesReached = saved.multiplesReached
            kinds[i].lastReminderAt = saved.lastReminderAt
            if let nag = saved.seriesNextNag, let notBefore = saved.seriesNotBefore {
                kinds[i].series = .init(nextNag: nag, notBefore: notBefore)
            }
            kinds[i].snoozedUntil = saved.snoozedUntil
            kinds[i].snoozeCount = saved.snoozeCount
            kinds[i].remindersEmitted = saved.remindersEmitted
        }
    }

    /// The same state under a new schedule (a reload): see ``init(schedule:timeZone:snapshot:)``.
    public func reconfigured(with schedule: Schedule) -> Engine {
        Engine(schedule: schedule, timeZone: calendar.timeZone, snapshot: snapshot)
    }
}

extension EngineSnapshot {
    /// The instants a snapshot may hold: 1970 up to 2^33 s (2242-03-16). Far beyond any real
    /// clock, and far enough below `Int64.max / 1e9` (2262-04-11) that an instant plus any
    /// configured duration, or an instant in nanoseconds, cannot overflow.
    public static let instants = Timestamp(secondsSinceEpoch: 0)...Timestamp(secondsSinceEpoch: 1 << 33)
    /// The sitting a meter may have banked: at most the span of ``instants``.
    public static let durations: ClosedRange<Seconds> = 0...(1 << 33)
    /// Counters (multiples reached, nags, snoozes, reminders emitted).
    public static let counts: ClosedRange<Int> = 0...Int(Int32.max)

    /// Why the snapshot cannot be restored, or nil when every value is within range: a state
    /// file is input like any other, and an out-of-range value must not trap later in
    /// arithmetic (a huge `banked`, an instant past 2262 in nanoseconds).
    public var rangeViolation: String? {
        func instant(_ name: String, _ value: Timestamp?) -> String? {
            // The engine's "never" and "not yet" sentinels are values it wrote itself.
            guard let value, !Self.instants.contains(value), value != .distantPast, value != .distantFuture
            else { return nil }
            return "\(name) = \(value.secondsSinceEpoch) is not an instant between 1970 and 2242"
        }
        func duration(_ name: String, _ value: Seconds) -> String? {
            Self.durations.contains(value) ? nil : "\(name) = \(value) is not a duration between 0 and 2^33 s"
        }
        func count(_ name: String, _ value: Int?) -> String? {
            guard let value, !Self.counts.contains(value) else { return nil }
            return "\(name) = \(value) is not a count between 0 and \(Int32.max)"
        }
        var problems: [String?] = [
            instant("now", now), instant("last_input", lastInput), instant("suspended_at", suspendedAt),
            instant("suspension_absence_start", suspensionAbsenceStart),
            instant("inhibitor_released_at", inhibitorReleasedAt), instant("absence_start", absenceStart),
            instant("present_since", presentSince), instant("paused_until", pausedUntil),
        ]
        if let day {
            problems += [
                instant("day.start", day.start), instant("day.end", day.end), duration("day.banked", day.banked),
                instant("day.running_since", day.runningSince),
            ]
        }
        for kind in kinds {
            let k = "kinds[\(kind.name)]."
            problems += [
                duration(k + "banked", kind.banked), instant(k + "running_since", kind.runningSince),
                instant(k + "reset_at", kind.resetAt),
                count(k + "multiples_reached", kind.multiplesReached),
                instant(k + "last_reminder_at", kind.lastReminderAt),
                count(k + "series_next_nag", kind.seriesNextNag),
                instant(k + "series_not_before", kind.seriesNotBefore),
                instant(k + "snoozed_until", kind.snoozedUntil), count(k + "snooze_count", kind.snoozeCount),
                count(k + "reminders_emitted", kind.remindersEmitted),
            ]
        }
        return problems.lazy.compactMap { $0 }.first
    }
}
