/// Something the engine is told at an instant: a change of presence or a person's command.
public enum Input: Hashable, Sendable {
    /// A presence input from an idle source (live) or a trace line (simulation).
    case presence(Presence)
    /// A command from the control socket (live) or a trace line (simulation).
    case command(Command)
}

/// Presence inputs (docs/engine.md §1).
public enum Presence: String, Hashable, Sendable, CaseIterable {
    /// Input is happening from this instant on.
    case active
    /// The last input was at this instant; none since.
    case idle
    /// The screen was locked.
    case lock
    /// The screen was unlocked: input from this instant on, like `active`.
    case unlock
    /// The machine went to sleep.
    case suspend
    /// The machine woke; the person counts as idle from here until the next input.
    case resume
    /// An application took an idle inhibitor (video, call).
    case inhibit
    /// The idle inhibitor was released.
    case uninhibit
}

/// Commands (docs/engine.md §1); refusals come back as `refused` events.
public enum Command: Hashable, Sendable {
    /// Withhold a kind's reminders for a while (`nil` duration: the kind's `snooze`).
    case snooze(KindSelector, duration: Seconds?)
    /// Reset a kind without a break.
    case skip(kind: String)
    /// The person says they took the break.
    case done(kind: String)
    /// Withhold all reminders for a while (`nil`: `pause_default`; `.unbounded` is refused).
    case pause(PauseLength)
    /// End a pause now.
    case resumeReminders

    /// The command's word as written in traces, events and requests (`snooze`, `resume-reminders`, …).
    public var word: String {
        switch self {
        case .snooze: "snooze"
        case .skip: "skip"
        case .done: "done"
        case .pause: "pause"
        case .resumeReminders: "resume-reminders"
        }
    }

    /// The one kind the command names: nil for `snooze all`, `pause` and `resume-reminders`.
    public var kind: String? {
        switch self {
        case .snooze(.kind(let name), _), .skip(let name), .done(let name): name
        case .snooze(.all, _), .pause, .resumeReminders: nil
        }
    }
}

/// The target of `snooze`: one kind or every kind.
public enum KindSelector: Hashable, Sendable {
    /// The kind with this name.
    case kind(String)
    /// Every kind, each in turn.
    case all

    /// The word that stands for every kind, in traces, requests and on the command line; no kind
    /// may be named so.
    public static let allWord = "all"

    /// The selector a written kind stands for: every kind when there is none or it is `all`.
    /// The one place that decides what "all" means, for the socket, the CLI and traces alike.
    public init(_ name: String?) {
        if let name, name != Self.allWord { self = .kind(name) } else { self = .all }
    }

    /// The kind's name, or nil for every kind (a request then leaves `kind` out).
    public var name: String? {
        if case .kind(let name) = self { name } else { nil }
    }
}

/// The length asked for by `pause`.
public enum PauseLength: Hashable, Sendable {
    /// `pause` alone: `pause_default`.
    case `default`
    /// `pause DURATION`.
    case duration(Seconds)
    /// `pause off`: refused, a pause always ends.
    case unbounded
}
