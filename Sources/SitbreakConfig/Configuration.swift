import SitbreakEngine

/// Everything a configuration file sets: the engine's schedule, the daemon's presence
/// preferences and its history's retention.
public struct Configuration: Hashable, Sendable {
    /// The break schedule (docs/design.md §3).
    public var schedule: Schedule
    /// The `[presence]` table.
    public var presence: PresencePreferences
    /// The `[notify]` table (read by `sitbreak-notify`).
    public var notify: NotifyPreferences
    /// The `[hooks]` table (read by `sitbreak-notify`).
    public var hooks: HookPreferences
    /// The `[history]` table.
    public var history: HistoryPreferences

    /// Creates a configuration.
    public init(
        schedule: Schedule, presence: PresencePreferences = PresencePreferences(),
        notify: NotifyPreferences = NotifyPreferences(), hooks: HookPreferences = HookPreferences(),
        history: HistoryPreferences = HistoryPreferences()
    ) {
        self.schedule = schedule
        self.presence = presence
        self.notify = notify
        self.hooks = hooks
        self.history = history
    }

    /// The built-in default: the default schedule and every default presence chain.
    public static let builtInDefault = Configuration(schedule: .builtInDefault)
}
