import SitbreakEngine

/// The `[hooks]` table: for each event type an optional command (an argv list, no shell) that
/// `sitbreak-notify` runs with the event in its environment, bounded in time and in number.
///
/// ```toml
/// [hooks]
/// reminder = ["paplay", "/usr/share/sounds/freedesktop/stereo/bell.oga"]
/// break_taken = ["/home/me/bin/lamp", "green"]
/// timeout = "10s"       # a hook still running then is killed
/// max_running = 4       # hooks beyond this many at once are dropped, with a message
/// ```
public struct HookPreferences: Hashable, Sendable {
    /// The command of each event type that has one: the program (a path, or a name looked up
    /// in `PATH`) and its arguments.
    public var commands: [EventType: [String]]
    /// How long a hook may run before it is killed, in seconds.
    public var timeoutSeconds: Seconds
    /// How many hooks may run at once.
    public var maxRunning: Int

    /// The table's own keys beside the event types.
    public static let settingKeys = ["timeout", "max_running"]

    /// Creates preferences; the defaults are what an absent `[hooks]` table means.
    public init(commands: [EventType: [String]] = [:], timeoutSeconds: Seconds = 10, maxRunning: Int = 4) {
        self.commands = commands
        self.timeoutSeconds = timeoutSeconds
        self.maxRunning = maxRunning
    }
}
