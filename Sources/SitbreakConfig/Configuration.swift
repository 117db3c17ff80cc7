import SitbreakEngine

/// Everything a configuration file sets: the engine's schedule and the daemon's presence
/// preferences.
public struct Configuration: Hashable, Sendable {
    /// The break schedule (docs/design.md §3).
    public var schedule: Schedule
    /// The `[presence]` table.
    public var presence: PresencePreferences

    /// Creates a configuration.
    public init(schedule: Schedule, presence: PresencePreferences = PresencePreferences()) {
        self.schedule = schedule
        self.presence = presence
    }

    /// The built-in default: the default schedule and every default presence chain.
    public static let builtInDefault = Configuration(schedule: .builtInDefault)
}
