import SitbreakConfig
import SitbreakEngine
import Testing

/// Each kind of mistake gives its exact message: `FILE:LINE: KEY: what is wrong; what would be
/// valid`.
@Suite struct ScheduleValidationTests {
    @Test func fullConfiguration() throws {
        let result = try schedule(
            """
            idle_threshold = "90s"
            coalesce = "0s"
            day_starts = "05:30"
            daily_limit = "8h"
            pause_default = "45m"
            inhibitors_count_as_sitting = false
            active_hours = ["Mon-Fri 08:30-18:00", "Sat 22:00-02:00"]

            [breaks.eyes]
            every = "20m"
            duration = "20s"
            renotify = "1m"
            max_nags = "off"
            snooze = "2m"
            max_snoozes = 0
            message = "Look out of the window."
            suggestions = ["Find the farthest thing you can see."]

            [breaks.walk]
            every = "1h"
            duration = "1h"
            """)
        #expect(
            result
                == Schedule(
                    idleThreshold: 90, coalesce: 0, dayStartsMinute: 330, dailyLimit: 8 * 3600, pauseDefault: 2700,
                    inhibitorsCountAsSitting: false,
                    activeHours: [
                        ActiveHoursEntry(
                            days: [.monday, .tuesday, .wednesday, .thursday, .friday], startMinute: 510, endMinute: 1080
                        ),
                        ActiveHoursEntry(days: [.saturday], startMinute: 1320, endMinute: 120),
                    ],
                    kinds: [
                        BreakKind(
                            name: "eyes", every: 1200, duration: 20, renotify: 60, maxNags: nil, snooze: 120,
                            maxSnoozes: 0, message: "Look out of the window.",
                            suggestions: ["Find the farthest thing you can see."]),
                        BreakKind(
                            name: "walk", every: 3600, duration: 3600,
                            message: Schedule.builtInDefault.kinds[1].message,
                            suggestions: Schedule.builtInDefault.kinds[1].suggestions),
                    ]))
    }

    @Test func builtInKindsWhenNoBreaksTables() throws {
        let result = try schedule("idle_threshold = \"3m\"\nactive_hours = [\"Mon 09:00-17:00\"]")
        #expect(result.kinds == Schedule.builtInDefault.kinds)
        #expect(result.idleThreshold == 180)
        #expect(result.coalesce == 120)
    }

    @Test func emptyFileIsTheBuiltInDefault() throws {
        #expect(try schedule("") == Schedule.builtInDefault)
        #expect(try schedule("# nothing but a comment\n\n") == Schedule.builtInDefault)
    }

    @Test func kindsKeepFileOrderAndOnlyThoseExist() throws {
        let result = try schedule(
            """
            [breaks.zeta]
            every = "2m"
            duration = "1s"
            [breaks.alpha]
            every = "1s"
            duration = "0s"
            """)
        #expect(result.kinds.map(\.name) == ["zeta", "alpha"])
        #expect(result.kinds[1].isNudge)
        #expect(result.kinds[0].message == "Time for a zeta break.")
    }

    @Test func kindsMayBeWrittenWithDottedKeysOrInlineTables() throws {
        let dotted = try schedule("breaks.walk.every = \"50m\"\nbreaks.walk.duration = \"5m\"")
        let inline = try schedule("[breaks]\nwalk = { every = \"50m\", duration = \"5m\" }")
        #expect(dotted.kinds.map(\.name) == ["walk"])
        #expect(dotted.kinds[0].every == 3000 && dotted.kinds[0].duration == 300)
        #expect(inline == dotted)
    }

    @Test func aKindNamedLikeABuiltInOneKeepsItsTextsUnlessGiven() throws {
        let builtInWalk = Schedule.builtInDefault.kinds.first { $0.name == "walk" }!
        let retimed = try schedule("[breaks.walk]\nevery = \"45m\"\nduration = \"5m\"")
        #expect(retimed.kinds[0].message == builtInWalk.message)
        #expect(retimed.kinds[0].suggestions == builtInWalk.suggestions)
        #expect(!builtInWalk.suggestions.isEmpty)
        let own = try schedule("[breaks.walk]\nevery = \"45m\"\nduration = \"5m\"\nmessage = \"Go.\"\nsuggestions = []")
        #expect(own.kinds[0].message == "Go.")
        #expect(own.kinds[0].suggestions.isEmpty)
    }

    @Test(arguments: [
        // Unknown keys, with and without a suggestion.
        (
            "idle_treshold = \"2m\"",
            "config.toml:1: idle_treshold: unknown key; did you mean idle_threshold? valid keys: idle_threshold, coalesce, day_starts, daily_limit, pause_default, inhibitors_count_as_sitting, active_hours, [notify], [hooks], [presence], [history], [breaks.NAME]"
        ),
        (
            "colour = \"blue\"",
            "config.toml:1: colour: unknown key; valid keys: idle_threshold, coalesce, day_starts, daily_limit, pause_default, inhibitors_count_as_sitting, active_hours, [notify], [hooks], [presence], [history], [breaks.NAME]"
        ),
        (
            "[break.walk]\nevery = \"50m\"",
            "config.toml:1: break: unknown key; did you mean [breaks.NAME]? valid keys: idle_threshold, coalesce, day_starts, daily_limit, pause_default, inhibitors_count_as_sitting, active_hours, [notify], [hooks], [presence], [history], [breaks.NAME]"
        ),
        (
            walkTable + "\nevrey = \"40m\"",
            "config.toml:4: breaks.walk.evrey: unknown key; did you mean every? valid keys: every, duration, renotify, max_nags, snooze, max_snoozes, message, suggestions"
        ),
        (
            walkTable + "\ncolor = \"red\"",
            "config.toml:4: breaks.walk.color: unknown key; valid keys: every, duration, renotify, max_nags, snooze, max_snoozes, message, suggestions"
        ),
        (
            walkTable + "\nsnoozes = 3",
            "config.toml:4: breaks.walk.snoozes: unknown key; did you mean snooze? valid keys: every, duration, renotify, max_nags, snooze, max_snoozes, message, suggestions"
        ),

        // Bad durations.
        (
            "idle_threshold = \"2 min\"",
            "config.toml:1: idle_threshold: \"2 min\" is not a duration; use whole numbers with units h, m, s in that order, e.g. \"45s\", \"20m\", \"1h30m\""
        ),
        (
            "[breaks.walk]\nevery = \"30m1h\"\nduration = \"5m\"",
            "config.toml:2: breaks.walk.every: \"30m1h\" is not a duration; use whole numbers with units h, m, s in that order, e.g. \"45s\", \"20m\", \"1h30m\""
        ),
        (
            "daily_limit = \"8 hours\"",
            "config.toml:1: daily_limit: \"8 hours\" is not a duration; use whole numbers with units h, m, s in that order, e.g. \"45s\", \"20m\", \"1h30m\", or \"off\""
        ),
        (
            "coalesce = \"9000h\"",
            "config.toml:1: coalesce: \"9000h\" is too long; use at most \"8784h\""
        ),

        // Wrong types, including floats and dates.
        (
            "[breaks.walk]\nevery = 50\nduration = \"5m\"",
            "config.toml:2: breaks.walk.every: the integer 50 is not a duration; use a string with a unit, such as \"50m\" or \"50s\""
        ),
        (
            "[breaks.walk]\nevery = 1.5\nduration = \"5m\"",
            "config.toml:2: breaks.walk.every: the float 1.5 is not a duration; use a string such as \"50m\""
        ),
        (
            "day_starts = 04:00:00",
            "config.toml:1: day_starts: the date-time 04:00:00 is not a time; use a string \"HH:MM\" such as \"04:00\""
        ),
        (
            "inhibitors_count_as_sitting = \"yes\"",
            "config.toml:1: inhibitors_count_as_sitting: the string \"yes\" is not a boolean; use true or false, without quotes"
        ),
        (
            walkTable + "\nmax_nags = 2.5",
            "config.toml:4: breaks.walk.max_nags: the float 2.5 is not a count; use a whole number (0 or more) or \"off\""
        ),
        (
            walkTable + "\nmax_snoozes = \"3\"",
            "config.toml:4: breaks.walk.max_snoozes: the string \"3\" is not a number; write 3 without quotes, or \"off\""
        ),
        (
            walkTable + "\nmax_nags = -1",
            "config.toml:4: breaks.walk.max_nags: -1 is negative; use a whole number (0 or more) or \"off\""
        ),
        (
            walkTable + "\nmessage = 42",
            "config.toml:4: breaks.walk.message: the integer 42 is not text; use a string in quotes"
        ),
        (
            walkTable + "\nmessage = \"  \"",
            "config.toml:4: breaks.walk.message: \"  \" is empty; write a short sentence, or leave message out"
        ),
        (
            walkTable + "\nsuggestions = \"Walk.\"",
            "config.toml:4: breaks.walk.suggestions: the string \"Walk.\" is not an array; use an array of strings, e.g. [\"Take a short walk.\"]"
        ),
        (
            walkTable + "\nsuggestions = [\n  \"Walk.\",\n  7,\n]",
            "config.toml:6: breaks.walk.suggestions: the integer 7 is not text; use a string in quotes"
        ),
        (
            "active_hours = \"Mon-Fri 08:30-18:00\"",
            "config.toml:1: active_hours: the string \"Mon-Fri 08:30-18:00\" is not an array; use an array of entries such as [\"Mon-Fri 08:30-18:00\"] ([] = always)"
        ),
        (
            "active_hours = [true]",
            "config.toml:1: active_hours: the boolean true is not an active-hours entry; use a string such as \"Mon-Fri 08:30-18:00\""
        ),
        (
            "breaks = 3",
            "config.toml:1: breaks: the integer 3 is not a table; define kinds as [breaks.NAME] tables"
        ),
        (
            "[breaks]\nwalk = \"50m\"",
            "config.toml:2: breaks.walk: the string \"50m\" is not a table; use a [breaks.walk] table"
        ),
        (
            "[breaks]\nevery = \"50m\"",
            "config.toml:2: breaks.every: every belongs to a break kind, not to [breaks]; put it in a [breaks.NAME] table, e.g. [breaks.walk]"
        ),

        // "off" where it is not allowed.
        (
            "pause_default = \"off\"",
            "config.toml:1: pause_default: \"off\" is not allowed (a pause always ends); use a duration such as \"1h\""
        ),
        (
            "[breaks.walk]\nevery = \"off\"\nduration = \"5m\"",
            "config.toml:2: breaks.walk.every: \"off\" is not allowed here; use a duration such as \"50m\""
        ),
        (
            walkTable + "\nsnooze = \"off\"",
            "config.toml:4: breaks.walk.snooze: \"off\" is not allowed here; use a duration such as \"10m\""
        ),

        // Impossible values.
        (
            "[breaks.walk]\nevery = \"5m\"\nduration = \"10m\"",
            "config.toml:2: breaks.walk.every: \"5m\" is shorter than duration \"10m\"; make every at least as long as duration"
        ),
        (
            "[breaks.walk]\nevery = \"0s\"\nduration = \"0s\"",
            "config.toml:2: breaks.walk.every: \"0s\" is too short; use at least \"1s\""
        ),
        (
            walkTable + "\nrenotify = \"0s\"",
            "config.toml:4: breaks.walk.renotify: \"0s\" is too short; use at least \"1s\""
        ),
        (
            walkTable + "\nsnooze = \"0m\"",
            "config.toml:4: breaks.walk.snooze: \"0m\" is too short; use at least \"1s\""
        ),
        (
            "idle_threshold = \"0s\"",
            "config.toml:1: idle_threshold: \"0s\" is too short; use at least \"1s\""
        ),
        (
            "daily_limit = \"0s\"",
            "config.toml:1: daily_limit: \"0s\" is too short; use at least \"1s\", or \"off\""
        ),
        (
            "day_starts = \"24:00\"",
            "config.toml:1: day_starts: \"24:00\" is not a time of day; use HH:MM from 00:00 to 23:59, e.g. \"04:00\""
        ),
        (
            "day_starts = \"4:00\"",
            "config.toml:1: day_starts: \"4:00\" is not a time of day; use HH:MM from 00:00 to 23:59, e.g. \"04:00\""
        ),

        // Active hours.
        (
            "\n\nactive_hours = [\n  \"Mon-Fri 08:30-18:00\",\n  \"Mon-Fry 08:30-18:00\",\n]",
            "config.toml:5: active_hours: \"Mon-Fry\" is not a day range; use a day (Mon), a range (Mon-Fri) or a list (Mon,Wed,Fri)"
        ),
        (
            "active_hours = [\"Mon-Fri\"]",
            "config.toml:1: active_hours: \"Mon-Fri\" is not an active-hours entry; use DAYS HH:MM-HH:MM, e.g. \"Mon-Fri 08:30-18:00\""
        ),
        (
            "active_hours = [\"Mon 08:30\"]",
            "config.toml:1: active_hours: \"08:30\" is not a time range; use HH:MM-HH:MM, e.g. \"08:30-18:00\""
        ),
        (
            "active_hours = [\"Mon 25:00-26:00\"]",
            "config.toml:1: active_hours: \"25:00\" is not a start time; use HH:MM from 00:00 to 23:59"
        ),
        (
            "active_hours = [\"Mon 08:00-24:30\"]",
            "config.toml:1: active_hours: \"24:30\" is not an end time; use HH:MM from 00:00 to 24:00"
        ),

        // Kinds: names, duplicates, required keys, none at all.
        (
            "[breaks.all]\nevery = \"50m\"\nduration = \"5m\"",
            "config.toml:1: breaks.all: the name \"all\" is reserved (snooze all snoozes every kind); choose another name"
        ),
        (
            "[breaks.Walk]\nevery = \"50m\"\nduration = \"5m\"",
            "config.toml:1: breaks.Walk: \"Walk\" is not a valid break name; use lowercase letters, digits, '_' and '-', e.g. [breaks.walk]"
        ),
        (
            "[breaks.\"long walk\"]\nevery = \"50m\"\nduration = \"5m\"",
            "config.toml:1: breaks.\"long walk\": \"long walk\" is not a valid break name; use lowercase letters, digits, '_' and '-', e.g. [breaks.walk]"
        ),
        (
            walkTable + "\n\n[breaks.walk]\nevery = \"40m\"",
            "config.toml:5: breaks.walk: defined twice (first at line 1); keep one definition of breaks.walk"
        ),
        (
            walkTable + "\nevery = \"40m\"",
            "config.toml:4: breaks.walk.every: defined twice (first at line 2); keep one definition of breaks.walk.every"
        ),
        (
            "[breaks.walk]\nduration = \"5m\"",
            "config.toml:1: breaks.walk.every: missing; [breaks.walk] needs it, e.g. every = \"50m\""
        ),
        (
            "x = 1\n[breaks.walk]\nevery = \"5m\"",
            "config.toml:1: x: unknown key; valid keys: idle_threshold, coalesce, day_starts, daily_limit, pause_default, inhibitors_count_as_sitting, active_hours, [notify], [hooks], [presence], [history], [breaks.NAME]"
        ),
        (
            "\n[breaks.walk]\nevery = \"5m\"",
            "config.toml:2: breaks.walk.duration: missing; [breaks.walk] needs it, e.g. duration = \"5m\" (or \"0s\" for a nudge)"
        ),
        (
            "[breaks]",
            "config.toml:1: breaks: no break kinds are defined; add a [breaks.NAME] table, or remove [breaks] to use the built-in kinds"
        ),
    ])
    func errorMessages(source: String, expected: String) {
        #expect(configError(source) == expected)
    }

    @Test func errorCarriesItsParts() {
        do {
            _ = try ConfigLoader.parse(text: "\n[breaks.walk]\nevery = \"5m\"\nduration = \"1h\"", file: "my.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "my.toml")
            #expect(error.line == 3)
            #expect(error.key == "breaks.walk.every")
            #expect(error.message == "\"5m\" is shorter than duration \"1h\"; make every at least as long as duration")
        }
    }

    @Test func theFirstErrorInFileOrderIsReported() {
        #expect(
            configError("coalesce = \"x\"\nidle_threshold = \"y\"")
                == "config.toml:1: coalesce: \"x\" is not a duration; use whole numbers with units h, m, s in that order, e.g. \"45s\", \"20m\", \"1h30m\""
        )
    }
}
