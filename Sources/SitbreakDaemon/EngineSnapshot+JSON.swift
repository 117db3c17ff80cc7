import SitbreakEngine
import SitbreakProtocol

/// The state file's JSON form. Instants are whole seconds since the epoch, so nothing is lost to
/// formatting; `format` lets a later version read (or knowingly refuse) an older file.
extension EngineSnapshot {
    /// The version of the state file's layout.
    static let format: Int64 = 1

    /// The snapshot as JSON.
    var json: JSONValue {
        func t(_ value: Timestamp?) -> JSONValue { value.map { .integer($0.secondsSinceEpoch) } ?? .null }
        func i(_ value: Int?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }
        return .object([
            ("format", .integer(Self.format)),
            ("now", t(now)), ("settle_at_now", .bool(settleAtNow)), ("input_ongoing", .bool(inputOngoing)),
            ("last_input", t(lastInput)), ("locked", .bool(locked)), ("suspended_at", t(suspendedAt)),
            ("suspension_absence_start", t(suspensionAbsenceStart)), ("inhibited", .bool(inhibited)),
            ("inhibitor_released_at", t(inhibitorReleasedAt)), ("absence_start", t(absenceStart)),
            ("present_since", t(presentSince)), ("absence_silent", .bool(absenceSilent)),
            ("paused_until", t(pausedUntil)),
            (
                "day",
                day.map {
                    .object([
                        ("start", t($0.start)), ("end", t($0.end)), ("banked", .integer($0.banked)),
                        ("running_since", t($0.runningSince)), ("reached", .bool($0.reached)),
                        ("pending", .bool($0.pending)),
                    ])
                } ?? .null
            ),
            (
                "kinds",
                .array(
                    kinds.map {
                        .object([
                            ("name", .string($0.name)), ("banked", .integer($0.banked)),
                            ("running_since", t($0.runningSince)), ("reset_at", t($0.resetAt)),
                            ("multiples_reached", i($0.multiplesReached)), ("last_reminder_at", t($0.lastReminderAt)),
                            ("series_next_nag", i($0.seriesNextNag)), ("series_not_before", t($0.seriesNotBefore)),
                            ("snoozed_until", t($0.snoozedUntil)), ("snooze_count", i($0.snoozeCount)),
                            ("reminders_emitted", i($0.remindersEmitted)),
                        ])
                    })
            ),
        ])
    }

    /// Reads a snapshot written by ``json``; nil when the text is not one.
    init?(json: JSONValue) {
        guard json["format"]?.integerValue == Self.format else { return nil }
        func t(_ v: JSONValue?) -> Timestamp? { v?.integerValue.map(Timestamp.init(secondsSinceEpoch:)) }
        func i(_ v: JSONValue?) -> Int? { v?.integerValue.map { Int($0) } }
        func b(_ v: JSONValue?) -> Bool? { v?.boolValue }
        guard let settle = b(json["settle_at_now"]), let ongoing = b(json["input_ongoing"]),
            let lastInput = t(json["last_input"]), let locked = b(json["locked"]),
            let inhibited = b(json["inhibited"]), let released = t(json["inhibitor_released_at"]),
            let silent = b(json["absence_silent"]), let kindList = json["kinds"]?.arrayValue
        else { return nil }
        var day: Day?
        if let d = json["day"], d != .null {
            guard let start = t(d["start"]), let end = t(d["end"]), let banked = d["banked"]?.integerValue,
                let reached = b(d["reached"]), let pending = b(d["pending"])
            else { return nil }
            day = Day(
                start: start, end: end, banked: banked, runningSince: t(d["running_since"]), reached: reached,
                pending: pending)
        }
        var kinds: [Kind] = []
        for k in kindList {
            guard let name = k["name"]?.stringValue, let banked = k["banked"]?.integerValue,
                let resetAt = t(k["reset_at"]), let multiples = i(k["multiples_reached"]),
                let snoozes = i(k["snooze_count"]), let emitted = i(k["reminders_emitted"])
            else { return nil }
            kinds.append(
                Kind(
                    name: name, banked: banked, runningSince: t(k["running_since"]), resetAt: resetAt,
                    multiplesReached: multiples, lastReminderAt: t(k["last_reminder_at"]),
                    seriesNextNag: i(k["series_next_nag"]), seriesNotBefore: t(k["series_not_before"]),
                    snoozedUntil: t(k["snoozed_until"]), snoozeCount: snoozes, remindersEmitted: emitted))
        }
        self.init(
            now: t(json["now"]), settleAtNow: settle, inputOngoing: ongoing, lastInput: lastInput, locked: locked,
            suspendedAt: t(json["suspended_at"]), suspensionAbsenceStart: t(json["suspension_absence_start"]),
            inhibited: inhibited, inhibitorReleasedAt: released, absenceStart: t(json["absence_start"]),
            presentSince: t(json["present_since"]), absenceSilent: silent, pausedUntil: t(json["paused_until"]),
            day: day, kinds: kinds)
    }
}
