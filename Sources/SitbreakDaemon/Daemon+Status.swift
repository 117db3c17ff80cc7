import SitbreakEngine
import SitbreakProtocol

extension Daemon {
    /// The `status` result (docs/protocol.md).
    func statusJSON() -> JSONValue {
        let status = engine.status(at: now())
        func t(_ value: Timestamp?) -> JSONValue { value.map { .string($0.rfc3339) } ?? .null }
        return .object([
            ("protocol", .integer(Int64(Reply.protocolVersion))),
            ("version", .string(Daemon.version)),
            ("time", t(status.time)),
            ("present", .bool(status.present)),
            ("sitting_since", t(status.sittingSince)),
            ("away_since", t(status.awaySince)),
            ("locked", .bool(status.locked)),
            ("suspended", .bool(status.suspended)),
            ("paused_until", t(status.pausedUntil)),
            ("next_deadline", t(engine.nextDeadline)),
            ("sources", .array(sources.map { .string($0) })),
            ("config", .string(configSource)),
            ("kinds", .array(status.kinds.map(kindJSON))),
            ("status_line", .string(statusLine())),
        ])
    }

    private func kindJSON(_ kind: EngineStatus.Kind) -> JSONValue {
        .object([
            ("name", .string(kind.kind.name)),
            ("every_s", .integer(kind.kind.every)),
            ("duration_s", .integer(kind.kind.duration)),
            ("sitting_s", .integer(kind.sittingSeconds)),
            ("due", .bool(kind.due)),
            ("next_reminder", kind.nextReminder.map { .string($0.rfc3339) } ?? .null),
            ("snoozed_until", kind.snoozedUntil.map { .string($0.rfc3339) } ?? .null),
            ("snoozes", .integer(Int64(kind.snoozes))),
            ("nag", kind.nextNag.map { .integer(Int64($0)) } ?? .null),
        ])
    }

    /// The `state` snapshot subscribers get after every change.
    func stateLine() -> String {
        let status = engine.status(at: now())
        var members: [(String, JSONValue)] = [
            ("time", .string(status.time.rfc3339)), ("event", .string("state")),
        ]
        if case .object(let rest) = statusJSON() {
            members += rest.filter { ["present", "sitting_since", "away_since", "paused_until", "kinds", "status_line"].contains($0.0) }
        }
        return JSONValue.object(members).serialized
    }

    /// The one-line summary for `STATUS=`, in absolute local times so it stays true without a
    /// periodic update: "sitting since 09:36 · walk at 10:26".
    func statusLine() -> String {
        let status = engine.status(at: now())
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
        let local = time.secondsSinceEpoch + timeZone.utcOffset(at: time)
        let minuteOfDay = ((local % 86400) + 86400) % 86400 / 60
        let hours = minuteOfDay / 60
        let minutes = minuteOfDay % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }
}
