extension Engine {
    /// Applies a command at `time`; what the rules refuse becomes a `refused` event.
    mutating func handle(_ command: Command, at time: Timestamp) {
        switch command {
        case .snooze(let selector, let duration):
            switch selector {
            case .all:
                for i in kinds.indices { snooze(i, for: duration, at: time) }
            case .kind(let name):
                guard let i = kindIndex[name] else { return refuseUnknown(command, name, at: time) }
                snooze(i, for: duration, at: time)
            }
        case .skip(let name):
            guard let i = kindIndex[name] else { return refuseUnknown(command, name, at: time) }
            kinds[i].reset(at: time, present: absence == nil)
            emit(.skipped(kind: name), at: time)
        case .done(let name):
            guard let i = kindIndex[name] else { return refuseUnknown(command, name, at: time) }
            var away: Seconds = 0
            if let absence, !absence.silent { away = time - absence.start }
            emit(.breakTaken(kind: name, natural: false, manual: true, awaySeconds: away), at: time)
            kinds[i].reset(at: time, present: absence == nil)
        case .pause(let length):
            let duration: Seconds
            switch length {
            case .default: duration = schedule.pauseDefault
            case .duration(let seconds): duration = seconds
            case .unbounded:
                return refuse(command, .unboundedPause, at: time)
            }
            guard duration > 0 else {
                return refuse(command, .pauseTooShort, at: time)
            }
            pausedUntil = time + duration
            emit(.paused(until: time + duration), at: time)
        case .resumeReminders:
            guard let pausedUntil, pausedUntil > time else {
                return refuse(command, .notPaused, at: time)
            }
            self.pausedUntil = nil
            emit(.resumed, at: time)
        }
    }

    private mutating func snooze(_ i: Int, for requested: Seconds?, at time: Timestamp) {
        let kind = kinds[i].kind
        let duration = requested ?? kind.snooze
        // A refusal within `snooze all` names the one kind it refuses.
        let command = Command.snooze(.kind(kind.name), duration: requested)
        guard duration > 0 else { return refuse(command, .snoozeTooShort, at: time) }
        if let limit = kind.maxSnoozes, kinds[i].snoozeCount >= limit {
            return refuse(command, .maxSnoozes(kind: kind.name, limit: limit), at: time)
        }
        kinds[i].snoozedUntil = time + duration
        kinds[i].snoozeCount += 1
        emit(.snoozed(kind: kind.name, until: time + duration), at: time)
    }

    private mutating func refuseUnknown(_ command: Command, _ name: String, at time: Timestamp) {
        refuse(command, .unknownKind(name, known: kinds.map(\.kind.name)), at: time)
    }

    private mutating func refuse(_ command: Command, _ refusal: Refusal, at time: Timestamp) {
        emit(.refused(command: command, reason: refusal), at: time)
    }
}
