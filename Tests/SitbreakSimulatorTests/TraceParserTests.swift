import SitbreakEngine
import SitbreakSimulator
import Testing

private let t0 = Timestamp(rfc3339: "2026-11-30T09:00:00Z")!

@Suite("Trace lines")
struct TraceParserTests {
    /// Parses `line` as the only line before an `end` and returns its step.
    private func step(_ line: String) throws -> TraceStep? {
        let steps = try TraceParser.parse(text: line + "\n2026-11-30T23:00:00Z end\n", file: "day.trace")
        #expect(steps.last?.action == .end)
        return steps.count == 2 ? steps[0] : nil
    }

    @Test(
        "every word",
        arguments: [
            ("active", TraceStep.Action.input(.presence(.active))),
            ("idle", .input(.presence(.idle))),
            ("lock", .input(.presence(.lock))),
            ("unlock", .input(.presence(.unlock))),
            ("inhibit", .input(.presence(.inhibit))),
            ("uninhibit", .input(.presence(.uninhibit))),
            ("snooze walk", .input(.command(.snooze(.kind("walk"), duration: nil)))),
            ("snooze walk 10m", .input(.command(.snooze(.kind("walk"), duration: 600)))),
            ("snooze all", .input(.command(.snooze(.all, duration: nil)))),
            ("snooze all 1h30m", .input(.command(.snooze(.all, duration: 5400)))),
            ("skip stretch", .input(.command(.skip(kind: "stretch")))),
            ("done walk", .input(.command(.done(kind: "walk")))),
            ("pause", .input(.command(.pause(.default)))),
            ("pause 45s", .input(.command(.pause(.duration(45))))),
            ("pause off", .input(.command(.pause(.unbounded)))),
            ("resume-reminders", .input(.command(.resumeReminders))),
        ])
    func everyWord(text: String, action: TraceStep.Action) throws {
        #expect(try step("2026-11-30T09:00:00Z \(text)") == TraceStep(time: t0, action: action))
    }

    @Test("suspend, then resume")
    func suspendResume() throws {
        let steps = try TraceParser.parse(
            text: """
                2026-11-30T09:00:00Z suspend
                2026-11-30T09:00:00Z snooze walk
                2026-11-30T10:00:00Z resume
                2026-11-30T10:00:00Z end
                """, file: "day.trace")
        #expect(
            steps.map(\.action) == [
                .input(.presence(.suspend)), .input(.command(.snooze(.kind("walk"), duration: nil))),
                .input(.presence(.resume)), .end,
            ])
        #expect(steps[2].time == t0 + 3600)
    }

    @Test(
        "comments, blanks, spacing and line endings",
        arguments: [
            "2026-11-30T09:00:00Z active # sat down",
            "2026-11-30T09:00:00Z active#no space before the comment",
            "   2026-11-30T09:00:00Z\t active   ",
            "2026-11-30T09:00:00Z active\r",
            "2026-11-30T10:00:00+01:00 active",
        ])
    func layout(line: String) throws {
        #expect(try step(line) == TraceStep(time: t0, action: .input(.presence(.active))))
    }

    @Test("blank and comment-only lines hold no step", arguments: ["", "   ", "\t", "# a comment", "  # indented"])
    func emptyLines(line: String) throws {
        #expect(try step(line) == nil)
    }

    @Test("comment and blank lines after end are fine")
    func trailingComments() throws {
        let steps = try TraceParser.parse(
            text: "2026-11-30T09:00:00Z active\n2026-11-30T10:00:00Z end\n\n# done\n", file: "day.trace")
        #expect(steps.count == 2)
    }

    @Test("equal times are allowed")
    func equalTimes() throws {
        let steps = try TraceParser.parse(
            text: "2026-11-30T09:00:00Z active\n2026-11-30T09:00:00Z lock\n2026-11-30T09:00:00Z end",
            file: "day.trace")
        #expect(steps.count == 3)
    }

    @Test(
        "malformed lines",
        arguments: [
            (
                "2026-11-30T09:00:00Z stand",
                "day.trace:2: unknown word \"stand\"; expected one of active, idle, lock, unlock, suspend, resume, "
                    + "inhibit, uninhibit, snooze, skip, done, pause, resume-reminders, end"
            ),
            (
                "2026-11-30T09:00:00Z",
                "day.trace:2: missing word after the time; expected one of active, idle, lock, unlock, suspend, "
                    + "resume, inhibit, uninhibit, snooze, skip, done, pause, resume-reminders, end"
            ),
            (
                "2026-11-30 09:00 active",
                "day.trace:2: \"2026-11-30\" is not an RFC 3339 time with whole seconds, such as 2026-11-30T09:00:00Z"
            ),
            (
                "2026-11-30T09:00:00.5Z active",
                "day.trace:2: \"2026-11-30T09:00:00.5Z\" is not an RFC 3339 time with whole seconds, such as "
                    + "2026-11-30T09:00:00Z"
            ),
            (
                "2026-02-30T09:00:00Z active",
                "day.trace:2: \"2026-02-30T09:00:00Z\" is not an RFC 3339 time with whole seconds, such as "
                    + "2026-11-30T09:00:00Z"
            ),
            ("2026-11-30T09:00:00Z active now", "day.trace:2: \"active\" takes no arguments, but found \"now\""),
            ("2026-11-30T09:00:00Z end now", "day.trace:2: \"end\" takes no arguments, but found \"now\""),
            (
                "2026-11-30T09:00:00Z resume-reminders walk",
                "day.trace:2: \"resume-reminders\" takes no arguments, but found \"walk\""
            ),
            (
                "2026-11-30T09:00:00Z snooze",
                "day.trace:2: \"snooze\" needs a kind or \"all\", e.g. \"snooze walk\" or \"snooze all 10m\""
            ),
            (
                "2026-11-30T09:00:00Z snooze walk 10m 5m",
                "day.trace:2: \"snooze\" takes a kind and at most one duration, but found also \"5m\""
            ),
            (
                "2026-11-30T09:00:00Z snooze walk ten",
                "day.trace:2: bad duration \"ten\"; expected e.g. 45s, 20m or 1h30m"
            ),
            ("2026-11-30T09:00:00Z skip", "day.trace:2: \"skip\" needs a kind, e.g. \"skip walk\""),
            ("2026-11-30T09:00:00Z done", "day.trace:2: \"done\" needs a kind, e.g. \"done walk\""),
            ("2026-11-30T09:00:00Z done walk 5m", "day.trace:2: \"done\" takes one kind, but found also \"5m\""),
            (
                "2026-11-30T09:00:00Z pause 1h off",
                "day.trace:2: \"pause\" takes at most one duration or \"off\", but found also \"off\""
            ),
            ("2026-11-30T09:00:00Z pause 30", "day.trace:2: bad duration \"30\"; expected e.g. 45s, 20m or 1h30m"),
            ("2026-11-30T09:00:00Z pause 0s", "day.trace:2: duration \"0s\" must be longer than zero"),
            ("2026-11-30T09:00:00Z resume", "day.trace:2: \"resume\" without a preceding \"suspend\""),
            (
                "2026-11-30T08:59:59Z idle",
                "day.trace:2: time 2026-11-30T08:59:59Z is before the previous line's 2026-11-30T09:00:00Z"
            ),
            (
                "2026-11-30T09:30:00+01:00 idle",
                "day.trace:2: time 2026-11-30T08:30:00Z is before the previous line's 2026-11-30T09:00:00Z"
            ),
        ])
    func malformed(line: String, message: String) {
        let error = #expect(throws: TraceError.self) {
            _ = try TraceParser.parse(
                text: "2026-11-30T09:00:00Z active\n\(line)\n2026-11-30T23:00:00Z end", file: "day.trace")
        }
        #expect(error?.description == message)
    }

    @Test("the example in the design: time going backwards")
    func backwards() {
        let text = """
            # A day.

            2026-11-30T09:30:00Z active
            2026-11-30T09:00:00Z idle
            2026-11-30T10:00:00Z end
            """
        #expect(
            throws: TraceError(
                file: "day.trace", line: 4,
                message: "time 2026-11-30T09:00:00Z is before the previous line's 2026-11-30T09:30:00Z")
        ) {
            _ = try TraceParser.parse(text: text, file: "day.trace")
        }
    }

    @Test(
        "presence while suspended",
        arguments: Presence.allCases.filter { $0 != .resume })
    func presenceWhileSuspended(presence: Presence) {
        let text = """
            2026-11-30T09:00:00Z active
            2026-11-30T09:10:00Z suspend
            2026-11-30T09:20:00Z \(presence.rawValue)
            2026-11-30T10:00:00Z end
            """
        let expected = TraceError(
            file: "day.trace", line: 3,
            message:
                "\"\(presence.rawValue)\" while suspended (since line 2); only \"resume\" or a command may come next")
        #expect(throws: expected) { _ = try TraceParser.parse(text: text, file: "day.trace") }
    }

    @Test("a line after end")
    func lineAfterEnd() {
        let text = "2026-11-30T09:00:00Z active\n2026-11-30T10:00:00Z end\n# then\n2026-11-30T10:00:00Z active\n"
        let expected = TraceError(
            file: "day.trace", line: 4, message: "line after \"end\" (line 2); \"end\" must be the last line")
        #expect(throws: expected) { _ = try TraceParser.parse(text: text, file: "day.trace") }
    }

    @Test("missing end", arguments: [("2026-11-30T09:00:00Z active\n# no end\n", 2), ("", 1), ("\n\n\n", 3)])
    func missingEnd(text: String, line: Int) {
        let expected = TraceError(
            file: "day.trace", line: line, message: "the trace has no \"end\" line; finish it with \"TIME end\"")
        #expect(throws: expected) { _ = try TraceParser.parse(text: text, file: "day.trace") }
    }

    @Test(
        "durations",
        arguments: [
            ("45s", 45), ("20m", 1200), ("1h30m", 5400), ("2h", 7200), ("1h2m3s", 3723), ("0s", 0), ("90m", 5400),
        ] as [(String, Seconds)])
    func durations(text: String, seconds: Seconds) {
        #expect(TraceDuration.parse(text) == seconds)
    }

    @Test("not durations", arguments: ["", "5", "m", "1m1h", "1m1m", "1.5h", "1d", "-5m", " 5m", "1234567890s"])
    func notDurations(text: String) {
        #expect(TraceDuration.parse(text) == nil)
    }
}
