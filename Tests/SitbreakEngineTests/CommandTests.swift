import SitbreakEngine
import SitbreakTesting
import Testing

/// Snooze, skip, done, pause and refusals (docs/engine.md §4).
@Suite struct CommandTests {
    static let walkOnly = Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300)])

    @Test func snoozeIsRefusedAfterMaxSnoozes() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:51", .snooze(.kind("walk"), duration: nil))
        s.at("10:02", .snooze(.kind("walk"), duration: nil))
        s.at("10:13", .snooze(.kind("walk"), duration: nil))
        s.end("10:30")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0",
                "09:51 snoozed walk until=10:01", "10:01 reminder walk nag=0",
                "10:02 snoozed walk until=10:12", "10:12 reminder walk nag=0",
                "10:13 refused snooze walk",
                "10:17 reminder walk nag=1", "10:22 reminder walk nag=2", "10:27 reminder walk nag=3",
            ])
        let refusal = s.events.first { $0.name == "refused" }
        #expect(
            refusal?.jsonLine
                == #"{"time":"2026-11-30T10:13:00Z","event":"refused","command":"snooze","kind":"walk","reason":"walk was already snoozed 2 times since its last break (max_snoozes = 2)"}"#
        )
    }

    @Test func snoozingAKindThatIsNotDueCountsAndStartsNoSeries() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:10", .snooze(.kind("walk"), duration: 600))
        s.at("09:51", .snooze(.kind("walk"), duration: 600))
        s.at("10:02", .snooze(.kind("walk"), duration: 600))
        s.end("10:05")
        #expect(
            s.summary == [
                "09:10 snoozed walk until=09:20", "09:50 reminder walk nag=0", "09:51 snoozed walk until=10:01",
                "10:01 reminder walk nag=0", "10:02 refused snooze walk",
            ])
    }

    @Test func snoozeAllSnoozesEachKindInTurn() {
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.at("09:05", .snooze(.all, duration: 900))
        s.end("09:21")
        #expect(
            s.summary == [
                "09:05 snoozed walk until=09:20", "09:05 snoozed posture until=09:20", "09:20 reminder posture nag=0",
            ])
    }

    @Test func aSecondSnoozeReplacesTheFirst() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:51", .snooze(.kind("walk"), duration: 1200))
        s.at("09:52", .snooze(.kind("walk"), duration: 60))
        s.end("09:54")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0", "09:51 snoozed walk until=10:11", "09:52 snoozed walk until=09:53",
                "09:53 reminder walk nag=0",
            ])
    }

    @Test func aBreakEndsTheSnoozeAndClearsItsCount() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:51", .snooze(.kind("walk"), duration: nil))
        s.at("09:52", .snooze(.kind("walk"), duration: nil))
        s.at("09:53", .lock)
        s.at("09:59", .unlock)
        s.at("10:00", .snooze(.kind("walk"), duration: nil))
        s.end("10:01")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0", "09:51 snoozed walk until=10:01", "09:52 snoozed walk until=10:02",
                "09:53 away since=09:53", "09:58 break_taken walk away=300", "09:59 back away=360",
                "10:00 snoozed walk until=10:10",
            ])
    }

    @Test func skipAndDoneResetTheKind() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:30", .skip(kind: "walk"))
        s.at("10:24", .done(kind: "walk"))
        s.end("11:16")
        #expect(
            s.summary == [
                "09:30 skipped walk", "10:20 reminder walk nag=0", "10:24 break_taken walk manual away=0",
                "11:14 reminder walk nag=0",
            ])
    }

    @Test func doneDuringAnAbsenceCountsItAndTheAbsenceLeavesTheKindAlone() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:10", .lock)
        s.at("09:12", .done(kind: "walk"))
        s.at("09:20", .unlock)
        s.end("10:11")
        #expect(
            s.summary == [
                "09:10 away since=09:10", "09:12 break_taken walk manual away=120", "09:20 back away=600",
                "10:10 reminder walk nag=0",
            ])
    }

    @Test func unknownKindsAreRefused() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:01", .snooze(.kind("sit"), duration: nil))
        s.at("09:02", .skip(kind: "sit"))
        s.at("09:03", .done(kind: "sit"))
        s.end("09:04")
        #expect(s.summary == ["09:01 refused snooze sit", "09:02 refused skip sit", "09:03 refused done sit"])
        #expect(
            s.events.allSatisfy {
                guard case .refused(_, .unknownKind("sit", known: ["walk"])) = $0.body else { return false }
                return $0.jsonLine.hasSuffix(#","reason":"unknown kind \"sit\"; the kinds are walk"}"#)
            })
    }

    @Test func pauseEndsByItself() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:40", .pause(.duration(1800)))
        s.end("10:16")
        #expect(
            s.summary == [
                "09:40 paused until=10:10", "10:10 resumed", "10:10 reminder walk nag=0", "10:15 reminder walk nag=1",
            ])
    }

    @Test func pauseEndsByCommandAndReleasesAtOnce() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:40", .pause(.default))
        s.at("10:00", .resumeReminders)
        s.end("10:01")
        #expect(s.summary == ["09:40 paused until=10:40", "10:00 resumed", "10:00 reminder walk nag=0"])
    }

    @Test func pauseRefusalsAndRepause() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:01", .resumeReminders)
        s.at("09:02", .pause(.unbounded))
        s.at("09:03", .pause(.duration(600)))
        s.at("09:04", .pause(.duration(60)))
        s.end("09:10")
        #expect(
            s.summary == [
                "09:01 refused resume-reminders", "09:02 refused pause", "09:03 paused until=09:13",
                "09:04 paused until=09:05", "09:05 resumed",
            ])
    }

    @Test func inputsAtOneInstantApplyBeforeWhatTheyRelease() {
        // The unlock would release the nag, but the pause at the same instant withholds it.
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:51", .lock)
        s.at("09:54", .unlock)
        s.at("09:54", .pause(.duration(60)))
        s.end("09:56")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0", "09:51 away since=09:51", "09:54 back away=180",
                "09:54 paused until=09:55", "09:55 resumed", "09:55 reminder walk nag=1",
            ])
    }

    @Test func timedWorkAtAnInstantComesBeforeItsInputs() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:50", .pause(.duration(60)))
        s.end("09:52")
        #expect(s.summary == ["09:50 reminder walk nag=0", "09:50 paused until=09:51", "09:51 resumed"])
    }

    @Test func aWithheldSeriesWaitsUntilTheKindIsDueAgain() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:45", .pause(.duration(450)))
        s.at("09:49", .idle)
        s.at("09:52", .active)
        s.end("09:54")
        #expect(
            s.summary == [
                "09:45 paused until=09:52:30", "09:51 away since=09:49", "09:52 back away=180", "09:52:30 resumed",
                // Sitting was taken back to 49 minutes; the withheld reminder fires when it reaches 50 again.
                "09:53 reminder walk nag=0",
            ])
    }
}
