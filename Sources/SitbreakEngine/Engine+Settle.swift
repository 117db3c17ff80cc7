extension Engine {
    /// Settles the engine's own timed work at instant `d`, in the order docs/engine.md §7 fixes:
    /// recognising absences, breaks taken, reminders (with covering), `daily_limit`.
    mutating func settle(at d: Timestamp) {
        guard suspension == nil else { return }
        rollDay(at: d)
        if let start = idleAbsenceStart(), start + schedule.idleThreshold <= d {
            beginAbsence(start: start, learnedAt: d)
        }
        takeBreaks(at: d)
        expirePauseAndSnoozes(at: d)
        startSeriesAtMultiples(at: d)
        remind(at: d)
        checkDailyLimit(at: d)
    }

    /// The earliest instant after `now` at which some timed work could happen.
    mutating func nextTimedWork() -> Timestamp? {
        guard let now, suspension == nil else { return nil }
        var best = Timestamp.distantFuture
        func consider(_ t: Timestamp?) {
            if let t, t > now, t < best { best = t }
        }
        // Day ends and active-hours edges matter only while the person is present: while absent
        // no sitting counts and nothing may fire, so a settle there would change nothing but the
        // day, which the next settle or input rolls forward at once (``rollDay(at:)`` skips any
        // number of days). Waking at them anyway would cost a step per edge over a long absence,
        // millions of them over a trace that spans centuries.
        if let day, absence == nil {
            consider(day.end)
            if let limit = schedule.dailyLimit, !day.reached {
                consider(now + (limit - day.meter.value(at: now)))
            }
        }
        if let start = idleAbsenceStart() { consider(start + schedule.idleThreshold) }
        if let absence, !absence.silent {
            for state in kinds where !state.kind.isNudge && state.resetAt < absence.start {
                consider(absence.start + state.kind.duration)
            }
        }
        consider(pausedUntil)
        for state in kinds {
            consider(state.snoozedUntil)
            if let series = state.series {
                consider(series.notBefore)
                if absence == nil && !state.isDue(at: now) {
                    consider(now + (state.kind.every - state.meter.value(at: now)))
                }
            }
            if absence == nil {
                let nextMultiple = Int64(state.multiplesReached + 1) * state.kind.every
                consider(now + (nextMultiple - state.meter.value(at: now)))
            }
        }
        if absence == nil && !schedule.activeHours.isEmpty { consider(calendar.state(at: now).until) }
        return best == .distantFuture ? nil : best
    }

    /// Whether reminders may fire at `d` as far as the person and the clock are concerned:
    /// present, inside active hours, not paused. (Per-kind snoozes and due-ness come on top.)
    mutating func remindersAllowed(at d: Timestamp) -> Bool {
        guard absence == nil, suspension == nil else { return false }
        if let pausedUntil, pausedUntil > d { return false }
        return calendar.state(at: d).active
    }

    /// Ends the local day once `d` has reached its boundary: a pending `daily_limit` is dropped,
    /// sitting restarts. Jumps straight to the day containing `d`, however many lie between.
    mutating func rollDay(at d: Timestamp) {
        guard var current = day, d >= current.end else { return }
        let bounds = calendar.day(containing: d)
        let boundary = current.end
        current = DayState(start: bounds.start, end: bounds.end)
        current.meter.reset(at: max(boundary, bounds.start), running: absence == nil)
        day = current
    }

    /// Breaks taken: the current absence has lasted a kind's duration (docs/engine.md §3.6).
    private mutating func takeBreaks(at d: Timestamp) {
        guard let absence, !absence.silent else { return }
        for i in kinds.indices {
            let state = kinds[i]
            guard !state.kind.isNudge, state.resetAt < absence.start, absence.start + state.kind.duration <= d
            else { continue }
            // A reminder that fired after the absence began came too late to send the person away.
            let natural = state.lastReminderAt.map { $0 > absence.start } ?? true
            let time = emitTimeOverride ?? d
            emit(
                .breakTaken(kind: state.kind.name, natural: natural, manual: false, awaySeconds: time - absence.start),
                at: d)
            kinds[i].reset(at: d, present: false)
        }
    }

    /// Ends pauses and snoozes whose time is up; a snooze of a due kind ending starts a series.
    private mutating func expirePauseAndSnoozes(at d: Timestamp) {
        if let pausedUntil, pausedUntil <= d {
            self.pausedUntil = nil
            emit(.resumed, at: d)
        }
        for i in kinds.indices {
            guard let until = kinds[i].snoozedUntil, until <= d else { continue }
            kinds[i].snoozedUntil = nil
            if kinds[i].isDue(at: d) { kinds[i].series = .init(nextNag: 0, notBefore: d) }
        }
    }

    /// A series starts each time sitting first reaches a multiple of `every` since the reset.
    private mutating func startSeriesAtMultiples(at d: Timestamp) {
        for i in kinds.indices {
            let multiple = Int(kinds[i].meter.value(at: d) / kinds[i].kind.every)
            if multiple > kinds[i].multiplesReached {
                kinds[i].multiplesReached = multiple
                kinds[i].series = .init(nextNag: 0, notBefore: d)
            }
        }
    }

    /// Fires the reminder of this instant, if any, with covering (docs/engine.md §3.4).
    private mutating func remind(at d: Timestamp) {
        guard remindersAllowed(at: d) else { return }
        var candidates: [Int] = []
        for i in kinds.indices {
            let state = kinds[i]
            guard let series = state.series, series.notBefore <= d, state.isDue(at: d), !state.isSnoozed(at: d)
            else { continue }
            candidates.append(i)
        }
        guard !candidates.isEmpty else { return }
        let primary = candidates.min { KindState.coversBefore(kinds[$0], kinds[$1]) }!
        var covered = candidates.filter { $0 != primary }
        for i in kinds.indices where kinds[i].kind.isNudge && i != primary && !candidates.contains(i) {
            let state = kinds[i]
            if !state.isSnoozed(at: d) && state.kind.every - state.meter.value(at: d) <= schedule.coalesce {
                covered.append(i)
            }
        }
        let state = kinds[primary]
        let reminder = Event.Reminder(
            kind: state.kind.name,
            nag: state.series!.nextNag,
            sittingSeconds: state.meter.value(at: d),
            covers: covered.map { kinds[$0].kind.name }.sorted {
                $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
            },
            message: state.kind.message,
            suggestion: state.nextSuggestion
        )
        emit(.reminder(reminder), at: d)
        kinds[primary].remindersEmitted += 1
        for i in [primary] + covered {
            if kinds[i].kind.isNudge {
                kinds[i].reset(at: d, present: true)
            } else {
                kinds[i].countReminder(at: d)
            }
        }
    }

    /// One `daily_limit` a day once the day's sitting reaches the limit, withheld like a reminder.
    private mutating func checkDailyLimit(at d: Timestamp) {
        guard let limit = schedule.dailyLimit, var current = day else { return }
        if !current.reached && current.meter.value(at: d) >= limit {
            current.reached = true
            current.pending = true
        }
        if current.pending && remindersAllowed(at: d) {
            current.pending = false
            emit(.dailyLimit(sittingSeconds: current.meter.value(at: d)), at: d)
        }
        day = current
    }
}
