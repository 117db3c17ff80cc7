import SitbreakConfig
import SitbreakEngine

extension Notifier {
    /// What a notification says, before it is worded for a server.
    public enum Content: Hashable, Sendable {
        /// A reminder or nag.
        case reminder(Event.Reminder)
        /// The daemon refused a button's command.
        case refusal(command: String, kind: String, reason: String)
        /// `daily_limit` was reached.
        case dailyLimit(sittingSeconds: Seconds)
        /// A break was taken (`confirm_break`).
        case confirmation(kind: String)

        /// The slot it goes in.
        public var slot: NotificationSlot {
            switch self {
            case .reminder(let reminder): .kind(reminder.kind)
            case .refusal(_, let kind, _): .kind(kind)
            case .dailyLimit: .dailyLimit
            case .confirmation: .confirmation
            }
        }
    }

    /// The `Notify` request for `content`, worded for the current server and preferences
    /// (`replaces_id` left at 0).
    public func request(for content: Content) -> NotificationRequest {
        let markup = capabilities.bodyMarkup
        let escape = { (text: String) -> String in markup ? NotificationText.escaped(text) : text }
        let urgency = preferences.urgency.level
        let expire = preferences.expire.milliseconds
        switch content {
        case .reminder(let reminder):
            var lines: [String] = []
            if !reminder.suggestion.isEmpty { lines.append(reminder.suggestion) }
            lines.append("You have sat for \(NotificationText.spoken(reminder.sittingSeconds)).")
            if !reminder.covers.isEmpty {
                lines.append("This break also covers \(NotificationText.list(reminder.covers)).")
            }
            if !capabilities.actions { lines.append(NotificationText.commands(kind: reminder.kind)) }
            return NotificationRequest(
                slot: content.slot, summary: reminder.message, body: lines.map(escape).joined(separator: "\n"),
                actions: buttons(kind: reminder.kind, snooze: true), urgency: urgency,
                category: "x-sitbreak.reminder", expireMilliseconds: expire, soundName: preferences.sound)
        case .refusal(let command, let kind, let reason):
            var lines = [NotificationText.sentence(reason)]
            if !capabilities.actions { lines.append(NotificationText.commands(kind: kind, snooze: false)) }
            return NotificationRequest(
                slot: content.slot, summary: "Could not \(command) \(kind)",
                body: lines.map(escape).joined(separator: "\n"), actions: buttons(kind: kind, snooze: false),
                urgency: urgency, category: "x-sitbreak.reminder", expireMilliseconds: expire)
        case .dailyLimit(let sitting):
            return NotificationRequest(
                slot: content.slot, summary: "Daily sitting limit reached",
                body: escape("You have sat for \(NotificationText.spoken(sitting)) today."), urgency: urgency,
                category: "x-sitbreak.daily-limit", expireMilliseconds: expire, soundName: preferences.sound)
        case .confirmation(let kind):
            return NotificationRequest(
                slot: content.slot, summary: "Break taken: \(kind)", body: escape("Well done."),
                urgency: NotifyPreferences.Urgency.low.level, category: "x-sitbreak.break-taken",
                expireMilliseconds: 5000, transient: true)
        }
    }

    /// Snooze (with the kind's length), Skip, Done; none without the `actions` capability.
    private func buttons(kind: String, snooze: Bool) -> [NotificationRequest.Action] {
        guard capabilities.actions else { return [] }
        var buttons: [NotificationRequest.Action] = []
        if snooze {
            let label = snoozeSeconds[kind].map { "Snooze \(NotificationText.short($0))" } ?? "Snooze"
            buttons.append(.init(key: "snooze", label: label))
        }
        buttons.append(.init(key: "skip", label: "Skip"))
        buttons.append(.init(key: "done", label: "Done"))
        return buttons
    }
}
