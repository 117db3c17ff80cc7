extension Engine {
    /// Whether an idle inhibitor currently keeps idle from becoming absence.
    var inhibitorHeld: Bool { inhibited && schedule.inhibitorsCountAsSitting }

    /// Where an idle absence would begin if the person stays idle: the later of the last input
    /// and the inhibitor's release. Nil while present with input ongoing, while an inhibitor is
    /// held, or while already absent.
    func idleAbsenceStart() -> Timestamp? {
        guard absence == nil, suspension == nil, !inputOngoing, !inhibitorHeld else { return nil }
        return max(lastInput, inhibitorReleasedAt)
    }

    /// Where an absence that a lock or suspend at `time` starts begins: back-dated over idle of
    /// any length, but not over idle during which an inhibitor was held (docs/engine.md §2).
    func lockOrSuspendAbsenceStart(at time: Timestamp) -> Timestamp {
        idleAbsenceStart() ?? time
    }

    /// Applies a presence input at `time` (the engine's current instant).
    mutating func handle(_ presence: Presence, at time: Timestamp) {
        switch presence {
        case .active, .unlock, .idle:
            // An input while suspended means the resume was missed; learn of the suspend first.
            if suspension != nil { resume(at: time) }
            if locked && presence != .unlock { return }  // typing a password does not end a lock
            locked = false
            inputOngoing = presence != .idle
            lastInput = time
            endAbsence(at: time)
        case .lock:
            guard suspension == nil, !locked else { return }
            locked = true
            if let absence {
                if absence.silent {
                    self.absence = Absence(start: time, silent: false)
                    emit(.away(since: time), at: time)
                }
            } else {
                beginAbsence(start: lockOrSuspendAbsenceStart(at: time), learnedAt: time)
            }
        case .suspend:
            guard suspension == nil else { return }
            let start: Timestamp
            if let absence {
                start = absence.silent ? time : absence.start
            } else {
                start = lockOrSuspendAbsenceStart(at: time)
            }
            suspension = (time, start)
        case .resume:
            if suspension != nil { resume(at: time) }
        case .inhibit:
            inhibited = true
        case .uninhibit:
            guard inhibited else { return }
            inhibited = false
            if schedule.inhibitorsCountAsSitting { inhibitorReleasedAt = time }
        }
    }

    /// The engine learns of an absence that began at `start`: sitting counted after `start` is
    /// taken back, `away` fires, nudges reset silently.
    mutating func beginAbsence(start: Timestamp, learnedAt time: Timestamp) {
        for i in kinds.indices { kinds[i].meter.stop(absenceStart: start) }
        day?.meter.stop(absenceStart: start)
        absence = Absence(start: start, silent: false)
        if let presentSince {
            presenceChanges.append(.absent(since: max(start, presentSince), learnedAt: emitTimeOverride ?? time))
        }
        presentSince = nil
        emit(.away(since: start), at: time)
        for i in kinds.indices where kinds[i].kind.isNudge {
            kinds[i].reset(at: time, present: false)
        }
    }

    /// Input at `time` ends the absence, if any: `back` fires and sitting starts counting.
    private mutating func endAbsence(at time: Timestamp) {
        guard let absence else { return }
        if !absence.silent { emit(.back(awaySeconds: time - absence.start), at: time) }
        self.absence = nil
        presentSince = time
        presenceChanges.append(.sitting(since: time))
        for i in kinds.indices { kinds[i].meter.start(at: time) }
        day?.meter.start(at: time)
    }

    /// The machine woke at `time`: the engine learns of the suspend, settles what fell inside it
    /// (every event stamped with the resume time), applies the commands that waited, and counts
    /// the person as idle since `time`, still absent until the next input.
    mutating func resume(at time: Timestamp) {
        guard let suspension else { return }
        self.suspension = nil
        emitTimeOverride = time
        if let absence {
            if absence.silent {
                self.absence = Absence(start: suspension.at, silent: false)
                emit(.away(since: suspension.at), at: time)
            }
        } else {
            beginAbsence(start: suspension.absenceStart, learnedAt: time)
        }
        while let next = nextTimedWork(), next <= time {
            now = next
            settle(at: next)
        }
        now = time
        settle(at: time)
        emitTimeOverride = nil
        let waiting = queuedCommands
        queuedCommands = []
        for command in waiting { handle(command, at: time) }
        inputOngoing = false
        lastInput = time
    }
}
