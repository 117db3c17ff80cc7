import SitbreakEngine
import SitbreakSimulator
import SitbreakTesting
import Testing

@Suite("Same-instant inputs and the end of a trace")
struct SameInstantAndEndTests {
    static func run(_ text: String, _ schedule: Schedule = Schedules.traces) throws -> [String] {
        try Simulator.run(text: text, file: "day.trace", schedule: schedule, timeZone: FixedOffsetTimeZone.utc)
            .map { line in
                // `time` and `event` come first in every line: enough to read the sequence.
                let time = line.split(separator: "\"")[3]
                let event = line.split(separator: "\"")[7]
                return "\(time.dropFirst(11).dropLast()) \(event)"
            }
    }

    @Test("a pause at the instant of the return withholds the reminder the return released")
    func pauseAfterReturn() throws {
        let events = try Self.run(
            """
            2026-11-30T09:00:00Z active
            2026-11-30T09:52:00Z idle
            2026-11-30T09:56:00Z active
            2026-11-30T09:56:00Z pause 30m
            2026-11-30T10:30:00Z end
            """)
        #expect(
            events == [
                "09:20:00 reminder", "09:40:00 reminder", "09:50:00 reminder", "09:54:00 away", "09:56:00 back",
                "09:56:00 paused", "10:26:00 resumed", "10:26:00 reminder",
            ])
    }

    @Test("inputs at the end instant emit nothing")
    func inputsAtEnd() throws {
        let events = try Self.run(
            """
            2026-11-30T09:00:00Z active
            2026-11-30T09:30:00Z lock
            2026-11-30T09:31:00Z unlock
            2026-11-30T09:31:00Z pause 10m
            2026-11-30T09:31:00Z end
            """)
        #expect(events == ["09:20:00 reminder", "09:30:00 away"])
    }

    @Test("events of an instant before the end are all emitted, in order")
    func inputsJustBeforeEnd() throws {
        let events = try Self.run(
            """
            2026-11-30T09:00:00Z active
            2026-11-30T09:30:00Z lock
            2026-11-30T09:31:00Z unlock
            2026-11-30T09:31:00Z pause 10m
            2026-11-30T09:31:01Z end
            """)
        #expect(events == ["09:20:00 reminder", "09:30:00 away", "09:31:00 back", "09:31:00 paused"])
    }

    @Test("a trace that ends at its only input emits nothing")
    func endAtTheFirstInput() throws {
        let events = try Self.run("2026-11-30T09:00:00Z lock\n2026-11-30T09:00:00Z end\n")
        #expect(events.isEmpty)
    }
}
