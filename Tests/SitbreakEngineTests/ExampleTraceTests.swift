import SitbreakEngine
import SitbreakTesting
import Testing

/// The three example traces (docs/engine.md §9.4), driven directly (the simulator tests run the files).
@Suite struct ExampleTraceTests {
    @Test func continuousSitting() {
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.end("10:30")
        #expect(
            s.summary == [
                "09:20 reminder posture nag=0",
                "09:40 reminder posture nag=0",
                "09:50 reminder walk nag=0",
                "09:55 reminder walk nag=1",
                "10:00 reminder walk nag=2 covers=posture",
                "10:05 reminder walk nag=3",
                "10:20 reminder posture nag=0",
            ])
    }

    @Test func naturalWalk() {
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.at("09:30", .idle)
        s.at("09:36", .active)
        s.end("10:30")
        #expect(
            s.summary == [
                "09:20 reminder posture nag=0",
                "09:32 away since=09:30",
                "09:35 break_taken walk natural away=300",
                "09:36 back away=360",
                "09:56 reminder posture nag=0",
                "10:16 reminder posture nag=0",
                "10:26 reminder walk nag=0",
            ])
    }

    @Test func shortAbsences() {
        var s = Scenario(Schedules.traces)
        s.at("09:00", .active)
        s.at("09:10", .idle)
        s.at("09:11", .active)
        s.at("09:30", .idle)
        s.at("09:34", .active)
        s.end("10:30")
        #expect(
            s.summary == [
                "09:20 reminder posture nag=0",
                "09:32 away since=09:30",
                "09:34 back away=240",
                "09:54 reminder walk nag=0 covers=posture",
                "09:59 reminder walk nag=1",
                "10:04 reminder walk nag=2",
                "10:09 reminder walk nag=3",
                "10:14 reminder posture nag=0",
            ])
    }
}
