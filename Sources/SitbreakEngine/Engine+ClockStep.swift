extension Engine {
    /// The engine after the wall clock was stepped by `delta` seconds (NTP, a manual change): every
    /// instant it holds moves by `delta`, so durations (sitting so far, a snooze's remaining time,
    /// an absence's length) are what they were, while active hours and the local day are judged
    /// again on the corrected clock.
    ///
    /// The daemon's engine time is the boot clock mapped onto the calendar once; a step makes the
    /// two disagree, and shifting the state re-anchors the mapping without the step itself
    /// counting as time sat or time away. With `daily_limit`, the day is re-derived: when the
    /// corrected instant lies in another local day than the one the engine was counting, the
    /// day's sitting starts again, as at a day boundary.
    public func clockStepped(by delta: Seconds) -> Engine {
        guard delta != 0 else { return self }
        return rebuilt(shiftedBy: delta)
    }

    /// The engine after the local time zone changed (the time zone it was given now answers
    /// differently): active hours and the local day are judged again; no instant moves.
    public func timeZoneChanged() -> Engine {
        rebuilt(shiftedBy: 0)
    }

    private func rebuilt(shiftedBy delta: Seconds) -> Engine {
        var shifted = Engine(
            schedule: schedule, timeZone: calendar.timeZone, snapshot: snapshot.shifted(by: delta))
        shifted.queuedCommands = queuedCommands
        if var current = shifted.day, let now = shifted.now {
            let bounds = shifted.calendar.day(containing: now)
            if bounds.start != current.start {
                let sameDay = bounds.start <= current.start && current.start < bounds.end
                current.start = bounds.start
                current.end = bounds.end
                if !sameDay {
                    current.meter.reset(at: now, running: shifted.absence == nil)
                    current.reached = false
                    current.pending = false
                }
                shifted.day = current
            }
        }
        return shifted
    }
}

extension EngineSnapshot {
    /// The same state with every instant moved by `delta` seconds (the distant past and future,
    /// used as "never", stay where they are).
    public func shifted(by delta: Seconds) -> EngineSnapshot {
        func move(_ time: Timestamp) -> Timestamp {
            time == .distantPast || time == .distantFuture ? time : time + delta
        }
        func move(_ time: Timestamp?) -> Timestamp? { time.map { move($0) } }
        var copy = self
        copy.now = move(now)
        copy.lastInput = move(lastInput)
        copy.suspendedAt = move(suspendedAt)
        copy.suspensionAbsenceStart = move(suspensionAbsenceStart)
        copy.inhibitorReleasedAt = move(inhibitorReleasedAt)
        copy.absenceStart = move(absenceStart)
        copy.presentSince = move(presentSince)
        copy.pausedUntil = move(pausedUntil)
        if var day = copy.day {
            day.start = move(day.start)
            day.end = move(day.end)
            day.runningSince = move(day.runningSince)
            copy.day = day
        }
        copy.kinds = kinds.map { kind in
            var kind = kind
            kind.runningSince = move(kind.runningSince)
            kind.resetAt = move(kind.resetAt)
            kind.lastReminderAt = move(kind.lastReminderAt)
            kind.seriesNotBefore = move(kind.seriesNotBefore)
            kind.snoozedUntil = move(kind.snoozedUntil)
            return kind
        }
        return copy
    }
}
