import Foundation
import SitbreakConfig
import SitbreakEngine
import SitbreakSimulator
import Testing

/// The example traces (docs/engine.md §9.4), kept in this target's `Traces` folder.
enum ExampleTraces {
    /// The folder, found from this source file so the tests need no bundle lookup.
    static let folder: String = {
        let source = "\(#filePath)"
        return String(source[..<source.lastIndex(of: "/")!]) + "/Traces"
    }()

    /// Every `NAME` with a `NAME.trace` in the folder, sorted.
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".trace") }.map { String($0.dropLast(".trace".count)) }.sorted()
    }()

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}

@Suite("Example traces")
struct ExampleTraceTests {
    @Test("the example traces are there, each with its expected output")
    func present() {
        // Guards the parameterized test below, which would otherwise pass with no cases at all.
        #expect(ExampleTraces.names.count >= 3, "no traces found in \(ExampleTraces.folder)")
        for name in ExampleTraces.names {
            #expect(FileManager.default.fileExists(atPath: "\(ExampleTraces.folder)/\(name).expected.jsonl"))
        }
    }

    @Test("each trace prints the expected events (TZ=UTC)", arguments: ExampleTraces.names)
    func run(name: String) throws {
        let folder = ExampleTraces.folder
        let schedule = try ConfigLoader.load(path: "\(folder)/config.toml")
        var actual: [String] = []
        try Simulator.run(
            tracePath: "\(folder)/\(name).trace", schedule: schedule, timeZone: FixedOffsetTimeZone.utc
        ) { (line: String) in
            actual.append(line)
        }
        #expect(actual.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().firstIndex(of: "\n") == nil })
        let expected = try ExampleTraces.lines("\(folder)/\(name).expected.jsonl")
        let difference = ExpectedEvents.mismatch(expected: expected, actual: actual.map { String($0.dropLast()) })
        #expect(difference == nil, "\(name): \(difference ?? "")")
    }
}
