import SitbreakEngine
import SitbreakTesting
import Testing

/// Presence and absence (docs/engine.md §2): back-dating, lock, suspend, inhibitors, first input.
@Suite struct PresenceTests {
    static let walkOnly = Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300)])

    @Test func lockShorterThanTheBreakPausesTheTimer() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:20", .lock)
        s.at("09:23", .unlock)
        s.end("10:00")
        #expect(
            s.summary == [
                "09:20 away since=09:20", "09:23 back away=180", "09:53 reminder walk nag=0",
                "09:58 reminder walk nag=1",
            ])
    }

    @Test func lockLongerThanTheBreakIsABreak() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:20", .lock)
        s.at("09:30", .unlock)
        s.end("10:30")
        #expect(
            s.summary == [
                "09:20 away since=09:20", "09:25 break_taken walk natural away=300", "09:30 back away=600",
                "10:20 reminder walk nag=0", "10:25 reminder walk nag=1",
            ])
    }

    @Test func lockAfterIdleIsBackDatedToTheLastInput() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:19", .idle)
        s.at("09:20", .lock)
        s.at("09:26", .unlock)
        s.end("09:30")
        #expect(
            s.summary == ["09:20 away since=09:19", "09:24 break_taken walk natural away=300", "09:26 back away=420"])
    }

    @Test func inputWhileLockedDoesNotEndTheAbsence() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:20", .lock)
        s.at("09:21", .active)
        s.at("09:21:30", .idle)
        s.at("09:22", .unlock)
        s.end("09:30")
        #expect(s.summary == ["09:20 away since=09:20", "09:22 back away=120"])
    }

    @Test func idleReportsInputAndSoEndsAnAbsence() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:10", .idle)
        s.at("09:20", .idle)
        s.end("09:23")
        #expect(
            s.summary == [
                "09:12 away since=09:10", "09:15 break_taken walk natural away=300", "09:20 back away=600",
                "09:22 away since=09:20",
            ])
    }

    @Test func suspendAcrossABreakIsLearntAtResume() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:52", .suspend)
        s.at("10:30", .resume)
        s.at("10:31", .active)
        s.end("11:30")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0",
                // The reminder came before the person left: not natural.
                "10:30 away since=09:52", "10:30 break_taken walk away=2280",
                "10:31 back away=2340", "11:21 reminder walk nag=0", "11:26 reminder walk nag=1",
            ])
    }

    @Test func shortSuspendIsNoBreak() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:10", .suspend)
        s.at("09:12", .resume)
        s.at("09:12:30", .active)
        s.end("09:55")
        #expect(s.summary == ["09:12 away since=09:10", "09:12:30 back away=150", "09:52:30 reminder walk nag=0"])
    }

    @Test func suspendAfterIdleIsBackDatedAndCommandsWaitForResume() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:05", .pause(.duration(1800)))
        s.at("09:09", .idle)
        s.at("09:10", .suspend)
        s.at("09:30", .snooze(.kind("walk"), duration: nil))
        s.at("10:00", .resume)
        s.at("10:01", .active)
        s.end("10:02")
        #expect(
            s.summary == [
                "09:05 paused until=09:35",
                // Everything that fell inside the suspend carries the resume time.
                "10:00 away since=09:09", "10:00 break_taken walk natural away=3060", "10:00 resumed",
                // The snooze typed while suspended takes effect after the engine learnt of it.
                "10:00 snoozed walk until=10:10",
                "10:01 back away=3120",
            ])
    }

    @Test func suspendWhileLockedContinuesTheSameAbsence() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:20", .lock)
        s.at("09:21", .suspend)
        s.at("09:40", .resume)
        s.at("09:45", .unlock)
        s.end("09:46")
        #expect(
            s.summary == [
                "09:20 away since=09:20", "09:40 break_taken walk natural away=1200", "09:45 back away=1500",
            ])
    }

    @Test func videoWithAnIdleInhibitorIsStillSitting() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:10", .inhibit)
        s.at("09:10", .idle)
        s.at("10:10", .uninhibit)
        s.at("10:20", .active)
        s.end("10:30")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0", "09:55 reminder walk nag=1", "10:00 reminder walk nag=2",
                "10:05 reminder walk nag=3",
                // Idle counts towards the threshold only from the release.
                "10:12 away since=10:10", "10:15 break_taken walk away=300", "10:20 back away=600",
            ])
    }

    @Test func inhibitorsIgnoredWhenTheyDoNotCountAsSitting() {
        var s = Scenario(Schedules.with(Self.walkOnly) { $0.inhibitorsCountAsSitting = false })
        s.at("09:00", .active)
        s.at("09:10", .inhibit)
        s.at("09:10", .idle)
        s.at("10:10", .uninhibit)
        s.at("10:20", .active)
        s.end("10:30")
        #expect(
            s.summary == ["09:12 away since=09:10", "09:15 break_taken walk natural away=300", "10:20 back away=4200"])
    }

    @Test func lockDuringAnInhibitorStartsAtItsOwnTime() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:05", .idle)
        s.at("09:06", .inhibit)
        s.at("09:30", .lock)
        s.at("09:31", .unlock)
        s.end("09:32")
        #expect(s.summary == ["09:30 away since=09:30", "09:31 back away=60"])
    }

    @Test func lockAfterTheReleaseStartsAtTheRelease() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:05", .idle)
        s.at("09:06", .inhibit)
        s.at("09:20", .uninhibit)
        s.at("09:21", .lock)
        s.at("09:22", .unlock)
        s.end("09:23")
        #expect(s.summary == ["09:21 away since=09:20", "09:22 back away=120"])
    }

    @Test func nothingHappensBeforeTheFirstInput() {
        var s = Scenario(Self.walkOnly)
        s.at("08:00", .inhibit)
        s.at("09:00", .active)
        s.end("09:49")
        #expect(s.summary.isEmpty)
    }

    @Test func idleAsFirstInputStartsSitting() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .idle)
        s.end("09:10")
        #expect(s.summary == ["09:02 away since=09:00", "09:05 break_taken walk natural away=300"])
    }

    @Test func lockBeforeTheFirstInputIsAnOrdinaryAbsence() {
        var s = Scenario(Self.walkOnly)
        s.at("08:00", .lock)
        s.at("08:10", .unlock)
        s.end("09:00")
        #expect(
            s.summary == ["08:00 away since=08:00", "08:05 break_taken walk natural away=300", "08:10 back away=600"])
    }

    @Test func suspendBeforeTheFirstInputIsAnOrdinaryAbsence() {
        var s = Scenario(Self.walkOnly)
        s.at("08:00", .suspend)
        s.at("08:10", .resume)
        s.at("08:11", .active)
        s.end("09:00")
        #expect(
            s.summary == ["08:10 away since=08:00", "08:10 break_taken walk natural away=600", "08:11 back away=660"])
    }

    @Test func reminderDuringUnrecognisedIdleStillFiresAndKeepsTheKindDue() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:49", .idle)
        s.at("09:52", .active)
        s.end("09:56")
        #expect(
            s.summary == [
                // The engine cannot know at 09:50 that the person left at 09:49.
                "09:50 reminder walk nag=0", "09:51 away since=09:49", "09:52 back away=180",
                // Sitting was taken back to 49m, but a kind that reminded stays due.
                "09:55 reminder walk nag=1",
            ])
    }

    @Test func breakAfterALateReminderIsNatural() {
        var s = Scenario(Self.walkOnly)
        s.at("09:00", .active)
        s.at("09:49", .idle)
        s.end("09:56")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0", "09:51 away since=09:49", "09:54 break_taken walk natural away=300",
            ])
    }

    @Test func breakShorterThanTheThresholdIsTakenAtRecognition() {
        let schedule = Schedule(kinds: [BreakKind(name: "sip", every: 1800, duration: 60)])
        var s = Scenario(schedule)
        s.at("09:00", .active)
        s.at("09:10", .idle)
        s.end("09:15")
        #expect(s.summary == ["09:12 away since=09:10", "09:12 break_taken sip natural away=120"])
    }
}
