import SitbreakEngine
import SitbreakProtocol

/// Sentences for the events of docs/engine.md §8 and the `state` snapshots, for `watch` and for the
/// events a command produced.
///
/// Lenient on purpose: a member that is missing or of another type shows as `?` rather than
/// failing, so a newer daemon's events still print.
struct EventRenderer {
    /// Local time for the instants.
    var clock: LocalClock
    /// Whether to start each line with the event's local time (`watch` does; a command's own
    /// events happen now, so their time would only be noise).
    var showsTime: Bool

    /// The event as one line.
    func render(_ event: JSONValue) -> String {
        let name = event["event"]?.stringValue ?? "?"
        var text: String
        if let type = EventType(name: name) {
            text = line(type, event)
        } else if name == "state" {
            let presence = event["present"]?.boolValue == false ? "away" : "present"
            let line = event["status_line"]?.stringValue ?? ""
            text = "state: \(presence)" + (line.isEmpty ? "" : " · " + line)
        } else {
            text = event.serialized
        }
        if showsTime, let instant = event["time"]?.stringValue {
            return clock.format(rfc3339: instant, seconds: true) + "  " + text
        }
        return text
    }

    /// The line for an engine event: one case per ``EventType``, so a new type does not build
    /// until it has its line.
    private func line(_ type: EventType, _ event: JSONValue) -> String {
        switch type {
        case .reminder:
            var details = ["sitting \(seconds(event["sitting_s"]))"]
            if let nag = event["nag"]?.integerValue, nag > 0 { details.append("nag \(nag)") }
            let covers = (event["covers"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !covers.isEmpty { details.append("also " + covers.joined(separator: ", ")) }
            var text = "reminder: \(string(event["kind"])) (\(details.joined(separator: ", ")))"
            let message = event["message"]?.stringValue ?? ""
            let suggestion = event["suggestion"]?.stringValue ?? ""
            if !message.isEmpty { text += ": " + message }
            if !suggestion.isEmpty { text += (message.isEmpty ? ": " : " ") + suggestion }
            return text
        case .breakTaken:
            let how: String
            if event["manual"]?.boolValue == true {
                how = "marked done"
            } else if event["natural"]?.boolValue == true {
                how = "on your own"
            } else {
                how = "after a reminder"
            }
            return "break taken: \(string(event["kind"])) (\(how), away \(seconds(event["away_s"])))"
        case .snoozed:
            return "snoozed: \(string(event["kind"])) until \(time(event["until"]))"
        case .skipped:
            return "skipped: \(string(event["kind"]))"
        case .refused:
            var command = string(event["command"])
            if let kind = event["kind"]?.stringValue { command += " " + kind }
            return "refused: \(command): \(string(event["reason"]))"
        case .paused:
            return "paused until \(time(event["until"]))"
        case .resumed:
            return "resumed"
        case .dailyLimit:
            return "daily limit reached: sitting \(seconds(event["sitting_s"])) today"
        case .away:
            return "away since \(time(event["since"]))"
        case .back:
            return "back after \(seconds(event["away_s"]))"
        }
    }

    private func string(_ value: JSONValue?) -> String {
        value?.stringValue ?? "?"
    }

    private func seconds(_ value: JSONValue?) -> String {
        value?.integerValue.map(durationText) ?? "?"
    }

    private func time(_ value: JSONValue?) -> String {
        value?.stringValue.map { clock.format(rfc3339: $0) } ?? "?"
    }
}

/// The human summary of `sitbreakctl status`.
struct StatusRenderer {
    /// Local time for the instants.
    var clock: LocalClock
    /// Whether to list the presence sources not in use with their reasons (`status -v`); without
    /// a desktop they are many lines that say nothing is wrong.
    var verbose = false

    /// Several lines, each ending in a line feed.
    func render(_ status: StatusResult) -> String {
        var lines: [String] = []
        var headline = status.present ? "present" : "away"
        if !status.statusLine.isEmpty { headline += " · " + status.statusLine }
        lines.append(headline)
        var reminders = "reminders: "
        if let until = status.pausedUntil {
            reminders += "paused until \(clock.format(until))"
        } else {
            reminders += "on"
        }
        if status.suspended { reminders += " (the machine is suspended)" }
        lines.append(reminders)
        if let today = status.todaySittingSeconds { lines.append("sitting today: \(durationText(today))") }
        let planned = status.kinds.compactMap { kind in kind.nextReminder.map { (kind.name, $0) } }
        if let next = planned.min(by: { $0.1 < $1.1 }) {
            lines.append("next reminder: \(next.0) at \(clock.format(next.1))")
        } else {
            lines.append("next reminder: none planned")
        }
        let width = status.kinds.map(\.name.count).max() ?? 0
        for kind in status.kinds {
            var parts = [
                "sitting \(durationText(kind.sittingSeconds)) of \(durationText(kind.everySeconds))",
                kind.durationSeconds == 0 ? "nudge" : "\(durationText(kind.durationSeconds)) break",
            ]
            if kind.due {
                switch kind.nag {
                case nil: parts.append("due")
                case 0: parts.append("due (reminded)")
                case let nag?: parts.append("due (nag \(nag))")
                }
            }
            if let until = kind.snoozedUntil { parts.append("snoozed until \(clock.format(until))") }
            if kind.snoozes > 0 { parts.append(kind.snoozes == 1 ? "1 snooze" : "\(kind.snoozes) snoozes") }
            if let next = kind.nextReminder { parts.append("next at \(clock.format(next))") }
            let padding = String(repeating: " ", count: width - kind.name.count)
            lines.append("  \(kind.name)\(padding)  " + parts.joined(separator: " · "))
        }
        if status.presence.isEmpty {
            lines.append("sources: " + (status.sources.isEmpty ? "none" : status.sources.joined(separator: ", ")))
        } else {
            lines.append("presence:")
            let width = status.presence.map(\.question.count).max() ?? 0
            for chain in status.presence {
                let padding = String(repeating: " ", count: width - chain.question.count)
                let used = chain.inUse.map { "\($0.id) (\($0.detail ?? ""))" } ?? "nothing"
                lines.append("  \(chain.question)\(padding)  \(used)")
                for source in chain.sources where verbose && !source.inUse {
                    let why = source.detail ?? "not tried: \(chain.inUse?.id ?? "another source") comes first"
                    lines.append("  \(String(repeating: " ", count: width))    not \(source.id): \(why)")
                }
            }
            lines.append("  also: clock gap for suspend, the socket's presence feed")
        }
        lines.append("config: " + status.config)
        return lines.map { $0 + "\n" }.joined()
    }
}
