import SitbreakEngine
import SitbreakTesting
import Testing

/// `applyIdle(lastInput:at:)`: a live source learns of idleness late, and the engine must end up
/// where the trace's `idle` at the last input would have put it.
@Suite struct LiveIdleTests {
    static let walk = Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300)])

    /// The trace form of the same day, for comparison.
    static func traced(idleAt: String, end: String, then: ((inout Scenario) -> Void)? = nil) -> [String] {
        var s = Scenario(walk)
        s.at("09:00", .active)
        s.at(idleAt, .idle)
        then?(&s)
        s.end(end)
        return s.summary
    }

    @Test(arguments: [
        // Reported exactly at the threshold (an idle watch firing), later (a slow poll), earlier
        // than the threshold (the engine then recognises the absence itself), and at the input.
        ("09:22", "09:22 away since=09:20"), ("09:25", "09:25 away since=09:20"),
        ("09:21", "09:22 away since=09:20"), ("09:20", "09:22 away since=09:20"),
    ])
    func aLateReportIsBackDatedLikeTheTracesIdle(reportedAt: String, expectedAway: String) {
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.at(reportedAt, idleSince: "09:20")
        s.end("09:40")
        #expect(s.summary == [expectedAway, "09:25 break_taken walk natural away=300"])
    }

    @Test func matchesTheTraceWhenReportedAtTheThreshold() {
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.at("09:22", idleSince: "09:20")
        s.at("09:31", .active)
        s.end("10:30")
        #expect(s.summary == Self.traced(idleAt: "09:20", end: "10:30") { $0.at("09:31", .active) })
    }

    @Test func sittingCountedBeforeTheReportIsTakenBack() {
        // 50 minutes of sitting would remind at 09:50, but the person left at 09:49 and the
        // source says so at 09:51: the reminder at 09:50 was right to fire (idle below the
        // threshold is sitting), and the absence still counts from 09:49.
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.at("09:51", idleSince: "09:49")
        s.at("09:56", .active)
        s.end("10:00")
        #expect(
            s.summary == [
                "09:50 reminder walk nag=0", "09:51 away since=09:49",
                // Natural: the reminder came after the person had already left.
                "09:54 break_taken walk natural away=300",
                "09:56 back away=420",
            ])
    }

    @Test func neverEarlierThanAnInputTheEngineKnows() {
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.at("09:10", .active)
        s.at("09:12", idleSince: "09:05")
        s.end("09:14")
        // The last input the engine knows is 09:10: idle from there, recognised at 09:12.
        #expect(s.summary == ["09:12 away since=09:10"])
    }

    @Test func aReportOfInputBeforeAResumeChangesNothing() {
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.at("09:10", .suspend)
        s.at("09:30", .resume)
        // A polled source catching up after the resume: its last input was before the suspend.
        s.at("09:31", idleSince: "09:09")
        s.at("09:40", .active)
        s.end("09:41")
        #expect(
            s.summary == [
                "09:30 away since=09:10", "09:30 break_taken walk natural away=1200", "09:40 back away=1800",
            ])
    }

    @Test func whileAbsentItIsInputAtTheReport() {
        var s = Scenario(Self.walk)
        s.at("09:00", .active)
        s.at("09:10", .lock)
        s.at("09:12", .unlock)
        s.at("09:20", idleSince: "09:15")
        s.end("09:30")
        #expect(
            s.summary == [
                "09:10 away since=09:10", "09:12 back away=120", "09:20 away since=09:15",
                "09:20 break_taken walk natural away=300",
            ])
    }
}
