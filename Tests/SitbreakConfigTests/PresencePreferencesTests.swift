import SitbreakConfig
import Testing

/// `[presence]`: pinning and reordering sources, and an exact message for each mistake.
@Suite struct PresencePreferencesTests {
    static func preferences(_ text: String) throws -> PresencePreferences {
        try ConfigLoader.parseConfiguration(text: text, file: "config.toml").presence
    }

    static func failure(_ text: String) -> String? {
        do {
            _ = try ConfigLoader.parseConfiguration(text: text, file: "config.toml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func absentMeansEveryDefaultChain() throws {
        #expect(try Self.preferences("") == PresencePreferences())
        #expect(try Self.preferences("idle_threshold = \"3m\"") == PresencePreferences())
    }

    @Test func chainsArePinnedReorderedOrEmptied() throws {
        let result = try Self.preferences(
            """
            [presence]
            idle = ["terminal", "x11"]
            lock = ["screensaver"]
            inhibit = []
            """)
        #expect(result.order == ["idle": ["terminal", "x11"], "lock": ["screensaver"], "inhibit": []])
    }

    @Test func theScheduleIsReadAlongside() throws {
        let configuration = try ConfigLoader.parseConfiguration(
            text: "idle_threshold = \"90s\"\n[presence]\nidle = [\"x11\"]\n", file: "config.toml")
        #expect(configuration.schedule.idleThreshold == 90)
        #expect(configuration.presence.order == ["idle": ["x11"]])
    }

    @Test(arguments: [
        (
            "[presence]\nidle = [\"x12\"]",
            "config.toml:2: presence.idle: \"x12\" is not an idle source; did you mean \"x11\"? idle sources: mutter, swayidle, x11, kde, logind, terminal, always"
        ),
        (
            "[presence]\nlock = [\"mutter\"]",
            "config.toml:2: presence.lock: \"mutter\" is not a lock source; lock sources: logind, screensaver"
        ),
        (
            "[presence]\nidel = [\"x11\"]",
            "config.toml:2: presence.idel: unknown key; did you mean idle? valid keys: suspend, lock, idle, inhibit"
        ),
        (
            "[presence]\nidle = \"x11\"",
            "config.toml:2: presence.idle: the string \"x11\" is not an array; list sources in order, e.g. [\"mutter\"] ([] = none)"
        ),
        (
            "[presence]\nidle = [\"x11\", 3]",
            "config.toml:2: presence.idle: the integer 3 is not a source name; use a string such as \"mutter\""
        ),
        (
            "[presence]\nidle = [\"x11\", \"x11\"]",
            "config.toml:2: presence.idle: \"x11\" is listed twice; list each source once"
        ),
        ("presence = 1", "config.toml:1: presence: the integer 1 is not a table; write a [presence] table"),
        (
            "presense = 1",
            "config.toml:1: presense: unknown key; did you mean [presence]? valid keys: idle_threshold, coalesce, day_starts, daily_limit, pause_default, inhibitors_count_as_sitting, active_hours, [notify], [hooks], [presence], [history], [breaks.NAME]"
        ),
    ])
    func mistakesAreNamedExactly(text: String, message: String) {
        #expect(Self.failure(text) == message)
    }
}
