import SitbreakEngine
import SitbreakTesting
import Testing

/// Reminder series, nags, covering and coalescing (docs/engine.md §3).
@Suite struct ReminderTests {
    @Test func threeKindsFallingDueTogether() {
        let schedule = Schedule(kinds: [
            BreakKind(name: "posture", every: 1200, duration: 0),
            BreakKind(name: "walk", every: 3600, duration: 300),
            BreakKind(name: "stretch", every: 7200, duration: 600),
        ])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.end("11:21")
        #expect(
            s.summary == [
                "09:20 reminder posture nag=0", "09:40 reminder posture nag=0",
                "10:00 reminder walk nag=0 covers=posture",
                "10:05 reminder walk nag=1", "10:10 reminder walk nag=2", "10:15 reminder walk nag=3",
                "10:20 reminder posture nag=0", "10:40 reminder posture nag=0",
                // The longest duration reminds; the walk counts it in its new series.
                "11:00 reminder stretch nag=0 covers=posture,walk",
                "11:05 reminder stretch nag=1 covers=walk", "11:10 reminder stretch nag=2 covers=walk",
                "11:15 reminder stretch nag=3 covers=walk",
                "11:20 reminder posture nag=0",
            ])
    }

    @Test func coveringTiesGoToTheLongerEveryThenTheName() {
        let schedule = Schedule(kinds: [
            BreakKind(name: "b", every: 600, duration: 60, maxNags: 0),
            BreakKind(name: "a", every: 600, duration: 60, maxNags: 0),
            BreakKind(name: "c", every: 1200, duration: 60, maxNags: 0),
        ])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.end("09:21")
        #expect(s.summary == ["09:10 reminder a nag=0 covers=b", "09:20 reminder c nag=0 covers=a,b"])
    }

    @Test func aReminderCoversNudgesThatFallDueWithinCoalesce() {
        let schedule = Schedule(kinds: [
            BreakKind(name: "posture", every: 1200, duration: 0),
            BreakKind(name: "walk", every: 3480, duration: 300),
        ])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.end("10:19")
        #expect(
            s.summary == [
                "09:20 reminder posture nag=0", "09:40 reminder posture nag=0",
                // Posture would be due at 10:00, two minutes later: it goes with the walk.
                "09:58 reminder walk nag=0 covers=posture",
                "10:03 reminder walk nag=1", "10:08 reminder walk nag=2", "10:13 reminder walk nag=3",
                "10:18 reminder posture nag=0",
            ])
    }

    @Test func aSnoozedNudgeIsNotCoalesced() {
        let schedule = Schedule(kinds: [
            BreakKind(name: "posture", every: 1200, duration: 0),
            BreakKind(name: "walk", every: 1140, duration: 300, maxNags: 0),
        ])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.at("09:01", .snooze(.kind("posture"), duration: 1200))
        s.end("09:22")
        #expect(
            s.summary == [
                "09:01 snoozed posture until=09:21", "09:19 reminder walk nag=0", "09:21 reminder posture nag=0",
            ])
    }

    @Test func aNewSeriesReplacesAnUnfinishedOne() {
        let schedule = Schedule(kinds: [BreakKind(name: "walk", every: 600, duration: 60, renotify: 240)])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.end("09:25")
        #expect(
            s.summary == [
                "09:10 reminder walk nag=0", "09:14 reminder walk nag=1", "09:18 reminder walk nag=2",
                "09:20 reminder walk nag=0", "09:24 reminder walk nag=1",
            ])
    }

    @Test func aDueKindStaysDueSilentlyBetweenSeries() {
        let schedule = Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300, maxNags: 1)])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.end("10:46")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0", "09:55 reminder walk nag=1", "10:40 reminder walk nag=0",
                "10:45 reminder walk nag=1",
            ])
    }

    @Test func unlimitedNags() {
        let schedule = Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300, maxNags: nil)])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.end("10:11")
        #expect(s.summary.count == 5)
        #expect(s.summary.last == "10:10 reminder walk nag=4")
    }

    @Test func nagsAreWithheldWhileAwayAndFireOnReturn() {
        let schedule = Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300)])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.at("09:51", .lock)
        s.at("09:55:30", .unlock)
        s.end("10:01")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0", "09:51 away since=09:51", "09:55:30 back away=270",
                "09:55:30 reminder walk nag=1", "10:00:30 reminder walk nag=2",
            ])
    }

    @Test func reminderCarriesMessageSitsAndRotatesSuggestions() {
        let schedule = Schedule(kinds: [
            BreakKind(name: "posture", every: 600, duration: 0, message: "Sit back.", suggestions: ["one", "two"])
        ])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        let reminders = s.end("09:31").compactMap { event -> Event.Reminder? in
            if case .reminder(let r) = event.body { return r }
            return nil
        }
        #expect(reminders.map(\.suggestion) == ["one", "two", "one"])
        #expect(reminders.allSatisfy { $0.message == "Sit back." && $0.sittingSeconds == 600 })
    }

    @Test func jsonLineHasTheFieldsOfTheDesign() {
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.at("09:30", .idle)
        s.at("09:36", .active)
        let lines = s.end("09:50").map(\.jsonLine)
        #expect(
            lines == [
                #"{"time":"2026-11-30T09:20:00Z","event":"reminder","kind":"posture","nag":0,"sitting_s":1200,"covers":[],"message":"Time for a posture break.","suggestion":""}"#,
                #"{"time":"2026-11-30T09:32:00Z","event":"away","since":"2026-11-30T09:30:00Z"}"#,
                #"{"time":"2026-11-30T09:35:00Z","event":"break_taken","kind":"walk","natural":true,"manual":false,"away_s":300}"#,
                #"{"time":"2026-11-30T09:36:00Z","event":"back","away_s":360}"#,
            ])
    }

    @Test func jsonEscapesStrings() {
        #expect(JSON.string("a\"b\\c\nd\u{1}é") == #""a\"b\\c\nd\u0001é""#)
    }
}
