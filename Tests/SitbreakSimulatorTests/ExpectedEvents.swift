import Foundation

/// The matching rule of `traces/README.md`: the same events in the same order, events with the
/// same `time` in any order, each carrying at least the expected fields with the expected values.
/// Values compare whole, so a `covers` list must match exactly.
enum ExpectedEvents {
    /// Returns nil when `actual` matches `expected`, else a description of the first difference.
    static func mismatch(expected: [String], actual: [String]) -> String? {
        let expectedEvents: [[String: JSONValue]]
        let actualEvents: [[String: JSONValue]]
        do {
            expectedEvents = try expected.map(object)
            actualEvents = try actual.map(object)
        } catch {
            return "not JSON objects: \(error)"
        }
        let expectedGroups = groups(expectedEvents)
        let actualGroups = groups(actualEvents)
        for index in 0..<max(expectedGroups.count, actualGroups.count) {
            guard index < actualGroups.count else {
                return "missing events from \(expectedGroups[index].time): \(render(expectedGroups[index].events))"
            }
            guard index < expectedGroups.count else {
                return "unexpected events from \(actualGroups[index].time): \(render(actualGroups[index].events))"
            }
            let want = expectedGroups[index]
            let got = actualGroups[index]
            guard want.time == got.time, want.events.count == got.events.count,
                assign(want.events, to: got.events)
            else {
                return "at \(want.time) expected \(render(want.events)), but got at \(got.time): \(render(got.events))"
            }
        }
        return nil
    }

    /// Whether `actual` carries every field of `expected` with an equal value.
    static func covers(_ actual: [String: JSONValue], _ expected: [String: JSONValue]) -> Bool {
        expected.allSatisfy { key, value in actual[key] == value }
    }

    private static func object(_ line: String) throws -> [String: JSONValue] {
        guard case .object(let fields) = try JSONValue.parse(line) else {
            throw MatchError(message: "not an object: \(line)")
        }
        return fields
    }

    private struct MatchError: Error, CustomStringConvertible {
        var description: String
        init(message: String) { description = message }
    }

    /// Runs of consecutive events with the same `time`.
    private static func groups(_ events: [[String: JSONValue]]) -> [(time: String, events: [[String: JSONValue]])] {
        var result: [(time: String, events: [[String: JSONValue]])] = []
        for event in events {
            let time = event["time"]?.description ?? "(no time)"
            if result.last?.time == time {
                result[result.count - 1].events.append(event)
            } else {
                result.append((time, [event]))
            }
        }
        return result
    }

    /// Whether each expected event can be paired with a distinct actual event that covers it.
    ///
    /// Backtracking, because partial fields can make a greedy pairing fail where another succeeds;
    /// groups are a handful of events at most.
    private static func assign(_ expected: [[String: JSONValue]], to actual: [[String: JSONValue]]) -> Bool {
        var used = [Bool](repeating: false, count: actual.count)
        func place(_ index: Int) -> Bool {
            guard index < expected.count else { return true }
            for candidate in actual.indices where !used[candidate] && covers(actual[candidate], expected[index]) {
                used[candidate] = true
                if place(index + 1) { return true }
                used[candidate] = false
            }
            return false
        }
        return place(0)
    }

    private static func render(_ events: [[String: JSONValue]]) -> String {
        events.map { JSONValue.object($0).description }.joined(separator: " ")
    }
}
