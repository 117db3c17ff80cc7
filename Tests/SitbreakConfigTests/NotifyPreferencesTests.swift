import SitbreakConfig
import SitbreakEngine
import Testing

/// `[notify]` and `[hooks]`: what each key sets, and an exact message for each mistake.
@Suite struct NotifyPreferencesTests {
    static func configuration(_ text: String) throws -> Configuration {
        try ConfigLoader.parseConfiguration(text: text, file: "config.toml")
    }

    @Test func absentTablesMeanTheDefaults() throws {
        let configuration = try Self.configuration("")
        #expect(configuration.notify == NotifyPreferences())
        #expect(configuration.notify.urgency == .normal)
        #expect(configuration.notify.expire == .never)
        #expect(configuration.notify.dismiss == .none)
        #expect(configuration.hooks == HookPreferences())
    }

    @Test func everyNotifyKeyIsRead() throws {
        let notify = try Self.configuration(
            """
            [notify]
            urgency = "critical"
            expire = "30s"
            sound = "bell"
            dismiss = "snooze"
            confirm_break = true
            """
        ).notify
        #expect(
            notify
                == NotifyPreferences(
                    urgency: .critical, expire: .after(30), sound: "bell", dismiss: .snooze, confirmBreak: true))
        #expect(try Self.configuration("[notify]\nexpire = \"default\"").notify.expire == .serverDefault)
    }

    @Test func everyHooksKeyIsRead() throws {
        let hooks = try Self.configuration(
            """
            [hooks]
            reminder = ["paplay", "/usr/share/sounds/freedesktop/stereo/bell.oga"]
            break_taken = ["/home/me/bin/lamp", "green"]
            timeout = "5s"
            max_running = 2
            """
        ).hooks
        #expect(hooks.commands[.reminder] == ["paplay", "/usr/share/sounds/freedesktop/stereo/bell.oga"])
        #expect(hooks.commands[.breakTaken] == ["/home/me/bin/lamp", "green"])
        #expect(hooks.timeoutSeconds == 5)
        #expect(hooks.maxRunning == 2)
    }

    @Test(arguments: [
        (
            "[notify]\nurgency = \"loud\"",
            "config.toml:2: notify.urgency: \"loud\" is not an urgency; use low, normal or critical"
        ),
        (
            "[notify]\nurgncy = \"low\"",
            "config.toml:2: notify.urgncy: unknown key; did you mean urgency? valid keys: urgency, expire, sound, dismiss, confirm_break"
        ),
        (
            "[notify]\nexpire = 30",
            "config.toml:2: notify.expire: the integer 30 is not an expiry; use \"never\", \"default\" or a duration such as \"30s\""
        ),
        (
            "[notify]\ndismiss = \"snoze\"",
            "config.toml:2: notify.dismiss: \"snoze\" is not a dismissal action; did you mean \"snooze\"? use none, snooze, skip or done"
        ),
        (
            "[notify]\nconfirm_break = \"yes\"",
            "config.toml:2: notify.confirm_break: the string \"yes\" is not a boolean; use true or false"
        ),
        ("notify = 3", "config.toml:1: notify: the integer 3 is not a table; write a [notify] table"),
        (
            "[hooks]\nremider = [\"true\"]",
            "config.toml:2: hooks.remider: unknown key; did you mean reminder? valid keys: the event types reminder, break_taken, snoozed, skipped, refused, paused, resumed, daily_limit, away, back, and timeout, max_running"
        ),
        (
            "[hooks]\nreminder = \"paplay bell.oga\"",
            "config.toml:2: hooks.reminder: the string \"paplay bell.oga\" is not a command; write the program and its arguments as a list, e.g. [\"paplay\", \"/usr/share/sounds/freedesktop/stereo/bell.oga\"] (no shell)"
        ),
        (
            "[hooks]\ntimeout = \"2h\"",
            "config.toml:2: hooks.timeout: the string \"2h\" is not a timeout; use a duration from 1s to 1h such as \"10s\""
        ),
        (
            "[hooks]\nmax_running = 0",
            "config.toml:2: hooks.max_running: the integer 0 is not a count of hooks; use an integer from 1 to 64"
        ),
    ])
    func mistakesNameFileLineAndKey(text: String, message: String) {
        #expect(throws: ConfigError.self) { try Self.configuration(text) }
        do {
            _ = try Self.configuration(text)
        } catch {
            #expect("\(error)" == message)
        }
    }
}
