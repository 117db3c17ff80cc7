import SitbreakConfig
import SitbreakEngine
import SitbreakSimulator
import SitbreakTesting
import Testing

@Suite("Running traces")
struct SimulatorTests {
    @Test("a malformed trace is rejected before any event is emitted")
    func validatesFirst() throws {
        let dir = try TemporaryDirectory(prefix: "sitbreak-simulator-tests")
        defer { dir.remove() }
        // Two hours of sitting would remind several times before the bad line is reached.
        let path = try dir.write(
            "bad.trace",
            """
            2026-11-30T09:00:00Z active
            2026-11-30T11:00:00Z idle
            2026-11-30T11:05:00Z stand
            2026-11-30T12:00:00Z end
            """)
        var emitted: [String] = []
        let error = #expect(throws: TraceError.self) {
            try Simulator.run(
                tracePath: path, file: "bad.trace", schedule: .builtInDefault, timeZone: FixedOffsetTimeZone.utc
            ) {
                (line: String) in emitted.append(line)
            }
        }
        #expect(error?.file == "bad.trace")
        #expect(error?.line == 3)
        #expect(emitted.isEmpty)
    }

    @Test("the runner feeds the engine as the daemon would, so both agree")
    func sameAsEngine() throws {
        let text = """
            2026-11-30T09:00:00Z active
            2026-11-30T09:30:00Z idle
            2026-11-30T09:36:00Z active
            2026-11-30T10:10:00Z snooze walk
            2026-11-30T10:30:00Z end
            """
        let lines = try Simulator.run(
            text: text, file: "day.trace", schedule: .builtInDefault, timeZone: FixedOffsetTimeZone.utc)

        var engine = Engine(schedule: .builtInDefault, timeZone: FixedOffsetTimeZone.utc)
        var events: [Event] = []
        func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
        events += engine.apply(.presence(.active), at: at("2026-11-30T09:00:00Z"))
        events += engine.apply(.presence(.idle), at: at("2026-11-30T09:30:00Z"))
        events += engine.apply(.presence(.active), at: at("2026-11-30T09:36:00Z"))
        events += engine.apply(.command(.snooze(.kind("walk"), duration: nil)), at: at("2026-11-30T10:10:00Z"))
        events += engine.advance(before: at("2026-11-30T10:30:00Z"))
        #expect(lines == events.map(\.jsonLine))
    }

    @Test("the built-in default reminds during ninety minutes of sitting")
    func remindsAtAll() throws {
        // Fails while the engine is a stub; guards against a runner that drops events.
        let lines = try Simulator.run(
            text: "2026-11-30T09:00:00Z active\n2026-11-30T10:30:00Z end\n", file: "day.trace",
            schedule: .builtInDefault, timeZone: FixedOffsetTimeZone.utc)
        #expect(lines.contains { $0.contains(#""event":"reminder""#) })
        #expect(lines.allSatisfy { $0 < #"{"time":"2026-11-30T10:30:00Z""# })
    }

    @Test("nothing is applied after end")
    func stopsAtEnd() {
        var runner = TraceRunner(schedule: .builtInDefault, timeZone: FixedOffsetTimeZone.utc)
        let t = Timestamp(rfc3339: "2026-11-30T09:00:00Z")!
        _ = runner.apply(TraceStep(time: t, action: .input(.presence(.active))))
        #expect(!runner.isFinished)
        _ = runner.apply(TraceStep(time: t + 60, action: .end))
        #expect(runner.isFinished)
        #expect(runner.apply(TraceStep(time: t + 7200, action: .input(.presence(.idle)))).isEmpty)
    }

    @Test(
        "a plain run keeps no presence changes (flat memory over a long trace); statistics ask for them",
        arguments: [false, true])
    func presenceChangesAreKeptOnlyWhenAsked(collect: Bool) {
        var runner = TraceRunner(schedule: .builtInDefault, timeZone: FixedOffsetTimeZone.utc)
        runner.collectsPresenceChanges = collect
        let t = Timestamp(rfc3339: "2026-11-30T09:00:00Z")!
        // Three sittings and two recognised absences.
        for (offset, presence) in [(0, Presence.active), (600, .lock), (900, .unlock), (1800, .lock), (2100, .unlock)] {
            _ = runner.apply(TraceStep(time: t + Int64(offset), action: .input(.presence(presence))))
        }
        #expect(runner.takePresenceChanges().count == (collect ? 5 : 0))
    }
}
