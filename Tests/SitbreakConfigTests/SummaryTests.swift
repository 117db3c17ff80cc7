import SitbreakConfig
import SitbreakEngine
import Testing

@Suite struct SummaryTests {
    @Test func builtInDefault() {
        #expect(
            Schedule.builtInDefault.summary() == """
                Settings
                  idle_threshold               2m
                  coalesce                     2m
                  day_starts                   04:00
                  daily_limit                  off
                  pause_default                1h
                  inhibitors_count_as_sitting  true
                  active_hours                 always
                Breaks
                  posture  every 20m  nudge                                    snooze 10m  max 2 snoozes  4 suggestions
                  walk     every 50m  duration 5m   renotify 5m  up to 3 nags  snooze 10m  max 2 snoozes  4 suggestions
                  stretch  every 2h   duration 10m  renotify 5m  up to 3 nags  snooze 10m  max 2 snoozes  7 suggestions
                """)
    }

    @Test func limitsActiveHoursAndUnlimitedCounts() throws {
        let schedule = try ConfigLoader.parse(
            text: """
                daily_limit = "7h30m"
                inhibitors_count_as_sitting = false
                active_hours = ["Mon-Fri 08:30-18:00", "Sat 22:00-02:00"]
                [breaks.eyes]
                every = "20m"
                duration = "20s"
                max_nags = "off"
                max_snoozes = 1
                suggestions = ["Look far away."]
                """, file: "config.toml")
        #expect(
            schedule.summary() == """
                Settings
                  idle_threshold               2m
                  coalesce                     2m
                  day_starts                   04:00
                  daily_limit                  7h30m
                  pause_default                1h
                  inhibitors_count_as_sitting  false
                  active_hours                 Mon–Fri 08:30–18:00
                                               Sat 22:00–02:00 (next day)
                Breaks
                  eyes  every 20m  duration 20s  renotify 5m  unlimited nags  snooze 10m  max 1 snooze  1 suggestion
                """)
    }
}
