import Testing

/// The matcher must be right before the example traces can judge the engine.
@Suite("Matching events against expected JSON Lines")
struct ExpectedEventsTests {
    private let a = #"{"time":"2026-11-30T09:20:00Z","event":"reminder","kind":"posture","nag":0,"covers":[]}"#
    private let b = #"{"time":"2026-11-30T09:50:00Z","event":"reminder","kind":"walk","nag":0,"covers":["posture"]}"#
    private let c = #"{"time":"2026-11-30T09:50:00Z","event":"away","since":"2026-11-30T09:48:00Z"}"#

    @Test("identical lines match")
    func identical() {
        #expect(ExpectedEvents.mismatch(expected: [a, b, c], actual: [a, b, c]) == nil)
        #expect(ExpectedEvents.mismatch(expected: [], actual: []) == nil)
    }

    @Test("actual events may carry more fields, in any key order")
    func extraFields() {
        let actual =
            #"{"event":"reminder","time":"2026-11-30T09:20:00Z","kind":"posture","nag":0,"sitting_s":1200,"covers":[],"message":"m","suggestion":""}"#
        #expect(ExpectedEvents.mismatch(expected: [a], actual: [actual]) == nil)
    }

    @Test("events at the same time may come in any order")
    func sameTimeAnyOrder() {
        #expect(ExpectedEvents.mismatch(expected: [a, b, c], actual: [a, c, b]) == nil)
    }

    @Test("partial fields need a pairing a greedy match would miss")
    func backtracking() {
        let loose = #"{"time":"2026-11-30T09:50:00Z","event":"reminder"}"#
        let strict = #"{"time":"2026-11-30T09:50:00Z","event":"reminder","kind":"walk"}"#
        let walk = #"{"time":"2026-11-30T09:50:00Z","event":"reminder","kind":"walk"}"#
        let posture = #"{"time":"2026-11-30T09:50:00Z","event":"reminder","kind":"posture"}"#
        #expect(ExpectedEvents.mismatch(expected: [loose, strict], actual: [walk, posture]) == nil)
    }

    @Test(
        "differences are caught",
        arguments: [
            // Different times in the wrong order.
            (
                [#"{"time":"2026-11-30T09:50:00Z","event":"x"}"#, #"{"time":"2026-11-30T09:20:00Z","event":"x"}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#, #"{"time":"2026-11-30T09:50:00Z","event":"x"}"#]
            ),
            // A value differs.
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"reminder","nag":1}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"reminder","nag":0}"#]
            ),
            // A field is missing.
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"back","away_s":240}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"back"}"#]
            ),
            // Lists compare whole.
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"reminder","covers":["posture"]}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"reminder","covers":["posture","stretch"]}"#]
            ),
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"reminder","covers":[]}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"reminder","covers":["posture"]}"#]
            ),
            // A boolean is not a number.
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"break_taken","natural":true}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"break_taken","natural":1}"#]
            ),
            // A number is not a string.
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"back","away_s":240}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"back","away_s":"240"}"#]
            ),
            // An extra event, a missing event.
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#, #"{"time":"2026-11-30T09:21:00Z","event":"y"}"#]
            ),
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#, #"{"time":"2026-11-30T09:21:00Z","event":"y"}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#]
            ),
            // One extra event at a shared time.
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#, #"{"time":"2026-11-30T09:20:00Z","event":"x"}"#]
            ),
            // Two expected events cannot both pair with one actual event.
            (
                [#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#, #"{"time":"2026-11-30T09:20:00Z","event":"x"}"#],
                [#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#, #"{"time":"2026-11-30T09:20:00Z","event":"y"}"#]
            ),
            // Not JSON.
            ([#"{"time":"2026-11-30T09:20:00Z","event":"x"}"#], ["reminder at 09:20"]),
        ])
    func differences(expected: [String], actual: [String]) {
        #expect(ExpectedEvents.mismatch(expected: expected, actual: actual) != nil)
    }

    @Test("the message names the time and both sides")
    func message() {
        let got = #"{"time":"2026-11-30T09:20:00Z","event":"reminder","kind":"walk"}"#
        #expect(
            ExpectedEvents.mismatch(expected: [a], actual: [got])
                == #"at "2026-11-30T09:20:00Z" expected {"covers":[],"event":"reminder","kind":"posture","nag":0,"time":"2026-11-30T09:20:00Z"}, but got at "2026-11-30T09:20:00Z": {"event":"reminder","kind":"walk","time":"2026-11-30T09:20:00Z"}"#
        )
    }
}
