import Foundation
import SitbreakEngine
import SitbreakProtocol
import Testing

private func decode(_ line: String) -> Result<Request, Request.Failure> {
    Request.decode(Array(line.utf8))
}

private let commandWords =
    "status, snooze, skip, done, pause, resume-reminders, presence, stats, subscribe, reload, version"

@Suite("Request.decode and Request.line")
struct RequestTests {
    @Test(
        "every command and its argument forms",
        arguments: [
            (#"{"id":1,"cmd":"status"}"#, Request(id: .integer(1), command: .status)),
            (#"{"id":"a","cmd":"snooze"}"#, Request(id: .string("a"), command: .command(.snooze(.all, duration: nil)))),
            (
                #"{"id":2,"cmd":"snooze","kind":"all"}"#,
                Request(id: .integer(2), command: .command(.snooze(.all, duration: nil)))
            ),
            (
                #"{"id":2,"cmd":"snooze","kind":null}"#,
                Request(id: .integer(2), command: .command(.snooze(.all, duration: nil)))
            ),
            (
                #"{"id":2,"cmd":"snooze","kind":"walk"}"#,
                Request(id: .integer(2), command: .command(.snooze(.kind("walk"), duration: nil)))
            ),
            (
                #"{"id":2,"cmd":"snooze","kind":"walk","duration":"10m"}"#,
                Request(id: .integer(2), command: .command(.snooze(.kind("walk"), duration: 600)))
            ),
            (
                #"{"id":2,"cmd":"snooze","kind":"walk","duration":600}"#,
                Request(id: .integer(2), command: .command(.snooze(.kind("walk"), duration: 600)))
            ),
            (
                #"{"id":2,"cmd":"snooze","kind":"walk","duration":6e2}"#,
                Request(id: .integer(2), command: .command(.snooze(.kind("walk"), duration: 600)))
            ),
            (
                #"{"id":2,"cmd":"snooze","duration":"1h30m"}"#,
                Request(id: .integer(2), command: .command(.snooze(.all, duration: 5400)))
            ),
            (
                #"{"id":2,"cmd":"snooze","duration":null}"#,
                Request(id: .integer(2), command: .command(.snooze(.all, duration: nil)))
            ),
            (
                #"{"cmd":"skip","kind":"stretch","id":3}"#,
                Request(id: .integer(3), command: .command(.skip(kind: "stretch")))
            ),
            (#"{"id":4,"cmd":"done","kind":"walk"}"#, Request(id: .integer(4), command: .command(.done(kind: "walk")))),
            (#"{"id":5,"cmd":"pause"}"#, Request(id: .integer(5), command: .command(.pause(.default)))),
            (
                #"{"id":5,"cmd":"pause","duration":"45s"}"#,
                Request(id: .integer(5), command: .command(.pause(.duration(45))))
            ),
            (
                #"{"id":5,"cmd":"pause","duration":1}"#,
                Request(id: .integer(5), command: .command(.pause(.duration(1))))
            ),
            (#"{"id":6,"cmd":"resume-reminders"}"#, Request(id: .integer(6), command: .command(.resumeReminders))),
            (#"{"id":7,"cmd":"presence","state":"active"}"#, Request(id: .integer(7), command: .presence(.active))),
            (
                #"{"id":7,"cmd":"presence","state":"uninhibit"}"#,
                Request(id: .integer(7), command: .presence(.uninhibit))
            ),
            (#"{"id":8,"cmd":"stats"}"#, Request(id: .integer(8), command: .stats(StatsQuery()))),
            (
                #"{"id":9,"cmd":"stats","since":"2026-11-01","until":"2026-11-30"}"#,
                Request(
                    id: .integer(9),
                    command: .stats(
                        StatsQuery(
                            since: CivilDate(year: 2026, month: 11, day: 1),
                            until: CivilDate(year: 2026, month: 11, day: 30)))
                )
            ),
            (#"{"id":9,"cmd":"subscribe"}"#, Request(id: .integer(9), command: .subscribe)),
            (#"{"id":10,"cmd":"reload"}"#, Request(id: .integer(10), command: .reload)),
            (#"{"id":11,"cmd":"version"}"#, Request(id: .integer(11), command: .version)),
            // No id: null; any JSON value is an id; unknown members are ignored; CR LF is fine.
            (#"{"cmd":"status"}"#, Request(id: .null, command: .status)),
            (
                #"{"id":{"n":[1]},"cmd":"status","extra":true}"# + "\r\n",
                Request(id: .object([("n", .array([.integer(1)]))]), command: .status)
            ),
        ])
    func decodes(line: String, request: Request) {
        #expect(decode(line) == .success(request))
    }

    @Test(
        "every error the decoder gives, with its message",
        arguments: [
            ("", JSONValue.null, ProtocolError.Code.malformedJSON, "invalid JSON at byte 0: unexpected end of input"),
            (#"{"id":1,"cmd":"status""#, .null, .malformedJSON, "invalid JSON at byte 22: unexpected end of input"),
            ("status", .null, .malformedJSON, "invalid JSON at byte 0: unexpected character"),
            (#"["status"]"#, .null, .invalidRequest, #"a request is a JSON object with "cmd""#),
            ("7", .null, .invalidRequest, #"a request is a JSON object with "cmd""#),
            (#"{"id":1}"#, .integer(1), .invalidRequest, #"missing "cmd"; one of \#(commandWords)"#),
            (#"{"id":1,"cmd":5}"#, .integer(1), .invalidRequest, #""cmd" must be a string; one of \#(commandWords)"#),
            (
                #"{"id":1,"cmd":"stat"}"#, .integer(1), .unknownCommand,
                #"unknown command "stat"; one of \#(commandWords)"#
            ),
            (
                #"{"id":1,"cmd":"resume"}"#, .integer(1), .unknownCommand,
                #"unknown command "resume"; one of \#(commandWords)"#
            ),
            (#"{"id":2,"cmd":"skip"}"#, .integer(2), .badArgument, #"missing "kind""#),
            (#"{"id":2,"cmd":"done","kind":null}"#, .integer(2), .badArgument, #"missing "kind""#),
            (#"{"id":2,"cmd":"skip","kind":""}"#, .integer(2), .badArgument, #""kind" must be a non-empty string"#),
            (#"{"id":2,"cmd":"snooze","kind":3}"#, .integer(2), .badArgument, #""kind" must be a non-empty string"#),
            (#"{"id":3,"cmd":"presence"}"#, .integer(3), .badArgument, #"missing "state""#),
            (
                #"{"id":3,"cmd":"presence","state":"asleep"}"#, .integer(3), .badArgument,
                #""state": "asleep" is not a presence state; one of active, idle, lock, unlock, suspend, resume, inhibit, uninhibit"#
            ),
            (
                #"{"id":4,"cmd":"stats","since":20261101}"#, .integer(4), .badArgument,
                #""since" must be a date as a string, YYYY-MM-DD"#
            ),
            (
                #"{"id":4,"cmd":"stats","until":"2026-02-30"}"#, .integer(4), .badArgument,
                #""until" must be a date as a string, YYYY-MM-DD"#
            ),
            (
                #"{"id":4,"cmd":"stats","since":"2026-11-02","until":"2026-11-01"}"#, .integer(4), .badArgument,
                #""until" 2026-11-01 is before "since" 2026-11-02"#
            ),
            (
                #"{"id":4,"cmd":"stats","since":"2020-01-01","until":"2026-11-01"}"#, .integer(4), .badArgument,
                "at most 1100 days per request"
            ),
        ])
    func errors(line: String, id: JSONValue, code: ProtocolError.Code, message: String) {
        #expect(decode(line) == .failure(Request.Failure(id: id, error: ProtocolError(code, message))))
    }

    @Test(
        "bad durations",
        arguments: [
            #""10x""#, #""0s""#, "0", "-5", "1.5", #""""#, "true", #""600""#, "[60]", #""8785h""#, "31622401",
        ])
    func badDurations(duration: String) {
        let message = #""duration" must be a duration such as "10m" or "1h30m", or a number of seconds above 0"#
        for command in ["snooze", "pause"] {
            #expect(
                decode(#"{"id":1,"cmd":"\#(command)","duration":\#(duration)}"#)
                    == .failure(Request.Failure(id: .integer(1), error: ProtocolError(.badArgument, message))))
        }
    }

    @Test("a pause that never ends cannot be asked for")
    func pauseOff() {
        #expect(
            decode(#"{"id":1,"cmd":"pause","duration":"off"}"#)
                == .failure(
                    Request.Failure(
                        id: .integer(1),
                        error: ProtocolError(.badArgument, #""duration": "off" is not allowed; a pause always ends"#))))
    }

    @Test("the longest duration: 366 days")
    func longest() {
        #expect(
            decode(#"{"cmd":"pause","duration":31622400}"#)
                == .success(Request(id: .null, command: .command(.pause(.duration(31_622_400))))))
        #expect(
            decode(#"{"cmd":"pause","duration":"8784h"}"#)
                == .success(Request(id: .null, command: .command(.pause(.duration(31_622_400))))))
    }

    @Test(
        "Request.line: what the client sends",
        arguments: [
            (Request.Command.status, #"{"id":1,"cmd":"status"}"#),
            (.command(.snooze(.all, duration: nil)), #"{"id":1,"cmd":"snooze"}"#),
            (.command(.snooze(.kind("walk"), duration: 600)), #"{"id":1,"cmd":"snooze","kind":"walk","duration":600}"#),
            (.command(.snooze(.all, duration: 900)), #"{"id":1,"cmd":"snooze","duration":900}"#),
            (.command(.skip(kind: "stretch")), #"{"id":1,"cmd":"skip","kind":"stretch"}"#),
            (.command(.done(kind: "wa\"lk")), #"{"id":1,"cmd":"done","kind":"wa\"lk"}"#),
            (.command(.pause(.default)), #"{"id":1,"cmd":"pause"}"#),
            (.command(.pause(.duration(3600))), #"{"id":1,"cmd":"pause","duration":3600}"#),
            (.command(.resumeReminders), #"{"id":1,"cmd":"resume-reminders"}"#),
            (.presence(.lock), #"{"id":1,"cmd":"presence","state":"lock"}"#),
            (.stats(StatsQuery()), #"{"id":1,"cmd":"stats"}"#),
            (.subscribe, #"{"id":1,"cmd":"subscribe"}"#),
            (.reload, #"{"id":1,"cmd":"reload"}"#),
            (.version, #"{"id":1,"cmd":"version"}"#),
        ])
    func line(command: Request.Command, line: String) {
        let request = Request(id: .integer(1), command: command)
        #expect(request.line == line)
        // And the daemon reads back exactly what was meant.
        #expect(decode(request.line) == .success(request))
    }

    @Test("every presence state round-trips", arguments: Presence.allCases)
    func presence(state: Presence) {
        let request = Request(id: .string("p"), command: .presence(state))
        #expect(decode(request.line) == .success(request))
    }

    @Test("command words match the decoder")
    func words() {
        let commands: [Request.Command] = [
            .status, .command(.snooze(.all, duration: nil)), .command(.skip(kind: "k")), .command(.done(kind: "k")),
            .command(.pause(.default)), .command(.resumeReminders), .presence(.active), .stats(StatsQuery()),
            .subscribe, .reload,
            .version,
        ]
        #expect(commands.map(\.word) == Request.Command.words)
    }
}

@Suite("Replies")
struct ReplyTests {
    @Test("the stable error codes")
    func codes() {
        #expect(
            ProtocolError.Code.allCases.map(\.rawValue) == [
                "malformed-json", "invalid-request", "unknown-command", "bad-argument", "refused", "line-too-long",
                "too-many-clients", "permission-denied", "reload-failed", "unsupported",
            ])
    }

    @Test("reply lines", arguments: ProtocolError.Code.allCases)
    func failureLine(code: ProtocolError.Code) throws {
        let line = Reply.failure(id: .integer(4), error: ProtocolError(code, "why \"it\" failed"))
        #expect(line == #"{"id":4,"ok":false,"error":{"code":"\#(code.rawValue)","message":"why \"it\" failed"}}"#)
        let parsed = try ParsedReply.parse(Array(line.utf8))
        #expect(
            parsed == ParsedReply(id: .integer(4), outcome: .failure(code: code.rawValue, message: "why \"it\" failed"))
        )
        #expect(parsed.knownCode == code)
    }

    @Test("success lines and the fixed results")
    func successLines() throws {
        #expect(
            Reply.success(id: .integer(1), result: Reply.versionResult)
                == #"{"id":1,"ok":true,"result":{"protocol":1,"version":"0.1.0"}}"#)
        #expect(Reply.subscribedResult.serialized == #"{"subscribed":true}"#)
        #expect(Reply.reloadResult(config: "/c.toml").serialized == #"{"config":"/c.toml"}"#)
        #expect(Reply.eventsResult([]).serialized == #"{"events":[]}"#)
        let parsed = try ParsedReply.parse(Array(Reply.success(id: .string("x"), result: .null).utf8))
        #expect(parsed == ParsedReply(id: .string("x"), outcome: .success(.null)))
        #expect(parsed.knownCode == nil)
        #expect(
            try ParsedReply.parse(Array(#"{"ok":false,"error":{"code":"new-code","message":"m"}}"#.utf8)).knownCode
                == nil)
    }

    @Test(
        "lines that are not replies",
        arguments: [
            ("hello", "invalid JSON at byte 0: unexpected character"),
            ("[]", "a reply is a JSON object"),
            (#"{"id":1}"#, #"a reply has "ok": true or false"#),
            (#"{"id":1,"ok":1}"#, #"a reply has "ok": true or false"#),
            (#"{"id":1,"ok":true}"#, #""ok":true without "result""#),
            (#"{"id":1,"ok":false}"#, #""ok":false without an "error" with "code" and "message""#),
            (
                #"{"id":1,"ok":false,"error":{"code":"refused"}}"#,
                #""ok":false without an "error" with "code" and "message""#
            ),
        ])
    func notReplies(line: String, reason: String) {
        #expect(throws: ReplyParseError(reason: reason)) { try ParsedReply.parse(Array(line.utf8)) }
    }

    @Test("the default socket path")
    func socketPath() {
        #expect(
            ControlProtocol.defaultSocketPath(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"])
                == "/run/user/1000/sitbreak/control.sock")
        #expect(
            ControlProtocol.defaultSocketPath(environment: ["XDG_RUNTIME_DIR": "/run/user/1000/"])
                == "/run/user/1000/sitbreak/control.sock")
        #expect(ControlProtocol.defaultSocketPath(environment: ["XDG_RUNTIME_DIR": ""]) == nil)
        #expect(
            ControlProtocol.defaultSocketPath(environment: ["XDG_RUNTIME_DIR": "run/user/1000"]) == nil,
            "a relative directory would depend on where the program was started")
        #expect(ControlProtocol.defaultSocketPath(environment: [:]) == nil)
        #expect(ControlProtocol.maximumLineLength == 65536)
    }
}

@Suite("Results")
struct ResultTests {
    private static let t = Timestamp(rfc3339: "2026-11-30T09:50:00Z")!

    @Test(
        "Event.json is Event.jsonLine, member for member",
        arguments: [
            Event.Body.reminder(
                .init(
                    kind: "walk", nag: 1, sittingSeconds: 3000, covers: ["posture"], message: "M \"q\"", suggestion: "S"
                )),
            .breakTaken(kind: "walk", natural: true, manual: false, awaySeconds: 300),
            .snoozed(kind: "walk", until: t + 600), .skipped(kind: "stretch"),
            .refused(command: .snooze(.kind("walk"), duration: nil), reason: .maxSnoozes(kind: "walk", limit: 1)),
            .refused(command: .resumeReminders, reason: .notPaused), .paused(until: t + 3600), .resumed,
            .dailyLimit(sittingSeconds: 28800), .away(since: t - 120), .back(awaySeconds: 90),
        ])
    func eventJSON(body: Event.Body) throws {
        let event = Event(time: Self.t, body: body)
        #expect(event.json.serialized == event.jsonLine)
        #expect(try JSONParser.parse(event.jsonLine) == event.json)
    }

    @Test("the status result: documented shape, and read back")
    func status() throws {
        let status = StatusResult(
            present: true, sittingSince: Self.t - 600, pausedUntil: nil, suspended: false, nextDeadline: Self.t,
            sources: ["always-present"],
            config: "built-in default",
            kinds: [
                .init(
                    name: "walk", everySeconds: 3000, durationSeconds: 300, sittingSeconds: 1234, due: false,
                    nextReminder: Self.t, snoozedUntil: nil, snoozes: 0, nag: nil),
                .init(
                    name: "posture", everySeconds: 1200, durationSeconds: 0, sittingSeconds: 1200, due: true,
                    nextReminder: nil, snoozedUntil: Self.t + 60, snoozes: 2, nag: 3),
            ],
            statusLine: "sitting since 09:36 · walk at 10:26", todaySittingSeconds: 5400)
        let expected =
            #"{"protocol":1,"version":"0.1.0","present":true,"sitting_since":"2026-11-30T09:40:00Z","#
            + #""away_since":null,"locked":false,"paused_until":null,"suspended":false,"today_sitting_s":5400,"#
            + #""next_deadline":"2026-11-30T09:50:00Z","sources":["always-present"],"presence":[],"config":"built-in default","kinds":["#
            + #"{"name":"walk","every_s":3000,"duration_s":300,"sitting_s":1234,"due":false,"#
            + #""next_reminder":"2026-11-30T09:50:00Z","snoozed_until":null,"snoozes":0,"nag":null},"#
            + #"{"name":"posture","every_s":1200,"duration_s":0,"sitting_s":1200,"due":true,"next_reminder":null,"#
            + #""snoozed_until":"2026-11-30T09:51:00Z","snoozes":2,"nag":3}],"#
            + #""status_line":"sitting since 09:36 · walk at 10:26"}"#
        #expect(status.json.serialized == expected)
        #expect(try StatusResult(json: JSONParser.parse(expected)) == status)
        let state = status.stateEvent(at: Self.t)
        #expect(state.serialized == #"{"time":"2026-11-30T09:50:00Z","event":"state","# + expected.dropFirst())
        #expect(try StatusResult(json: state) == status)
    }

    @Test(
        "a status result with a member missing or mistyped",
        arguments: [
            (#""present":true"#, #""present":"yes""#, #"status: "present" must be true or false"#),
            (
                #""paused_until":null"#, #""paused_until":"soon""#,
                #"status: "paused_until" must be an RFC 3339 time or null"#
            ),
            (#""sources":["always-present"]"#, #""sources":[1]"#, #"status: "sources" must be a list of strings"#),
            (#""every_s":3000"#, #""every_s":"50m""#, #"status: kinds[0]: "every_s" must be an integer"#),
            (#""nag":null"#, #""nag":"x""#, #"status: kinds[0]: "nag" must be an integer or null"#),
            (#","status_line":"s""#, "", #"status: "status_line" must be a string"#),
        ])
    func badStatus(member: String, replacement: String, reason: String) throws {
        let good =
            #"{"protocol":1,"version":"0.1.0","present":true,"paused_until":null,"suspended":false,"next_deadline":null,"#
            + #""sources":["always-present"],"presence":[],"config":"c","kinds":[{"name":"walk","every_s":3000,"duration_s":300,"#
            + #""sitting_s":0,"due":false,"next_reminder":null,"snoozed_until":null,"snoozes":0,"nag":null}],"status_line":"s"}"#
        #expect(throws: Never.self) { try StatusResult(json: JSONParser.parse(good)) }
        let bad = good.replacingOccurrences(of: member, with: replacement)
        #expect(bad != good)
        #expect(throws: ReplyParseError(reason: reason)) { try StatusResult(json: JSONParser.parse(bad)) }
    }
}
