import Foundation
import SitbreakConfig
import SitbreakEngine
import SitbreakSimulator
import SitbreakStats
import Testing

@Suite("Example traces: day statistics")
struct StatisticsExampleTests {
    @Test("each example trace has its worked statistics")
    func present() {
        #expect(ExampleTraces.names.count >= 3)
        for name in ExampleTraces.names {
            #expect(
                FileManager.default.fileExists(atPath: "\(ExampleTraces.folder)/\(name).stats.jsonl"),
                "\(name).stats.jsonl")
        }
    }

    @Test("simulate --stats prints the worked day statistics (TZ=UTC)", arguments: ExampleTraces.names)
    func run(name: String) throws {
        let folder = ExampleTraces.folder
        let schedule = try ConfigLoader.load(path: "\(folder)/config.toml")
        var actual: [String] = []
        try Simulator.runStatistics(
            tracePath: "\(folder)/\(name).trace", schedule: schedule, timeZone: FixedOffsetTimeZone.utc
        ) { actual.append($0.jsonObject) }
        let expected = try ExampleTraces.lines("\(folder)/\(name).stats.jsonl")
        try #require(actual.count == expected.count, "\(name): \(actual)")
        for (want, got) in zip(expected, actual) {
            let wanted = try JSONValue.parse(want)
            let have = try JSONValue.parse(got)
            #expect(StatisticsMatch.covers(have, wanted), "\(name):\n expected \(wanted)\n got      \(have)")
        }
    }
}

/// Whether one JSON value carries every member of another (recursively; more members allowed).
enum StatisticsMatch {
    static func covers(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        switch (actual, expected) {
        case (.object(let a), .object(let e)):
            e.allSatisfy { key, value in a[key].map { covers($0, value) } ?? false }
        default:
            actual == expected
        }
    }
}
