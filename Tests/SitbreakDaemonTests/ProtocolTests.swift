import Foundation
import SitbreakDaemon
import SitbreakTesting
import Testing

/// The control socket against a whole daemon in this process (docs/design.md §4, docs/protocol.md).
@Suite struct ProtocolTests {
    @Test func everyCommandAnswers() throws {
        let daemon = try InProcessDaemon()
        defer { daemon.stop() }
        let client = try daemon.connect()

        let status = try client.request(#"{"id":1,"cmd":"status"}"#)
        #expect(status["id"] as? Int == 1)
        #expect(status["ok"] as? Bool == true)
        let result = status["result"] as! [String: Any]
        #expect(result["present"] as? Bool == true)
        #expect((result["kinds"] as? [[String: Any]])?.map { $0["name"] as? String } == ["walk", "posture"])
        #expect((result["status_line"] as? String)?.hasPrefix("sitting since ") == true)
        #expect(result["config"] as? String == daemon.configPath)

        let version = try client.request(#"{"id":"v","cmd":"version"}"#)
        #expect(version["id"] as? String == "v")
        #expect((version["result"] as? [String: Any])?["protocol"] as? Int == 1)

        let snooze = try client.request(#"{"id":2,"cmd":"snooze","kind":"walk","duration":"10m"}"#)
        let events = (snooze["result"] as? [String: Any])?["events"] as? [[String: Any]]
        #expect(events?.first?["event"] as? String == "snoozed")
        #expect(events?.first?["kind"] as? String == "walk")

        let snoozeAll = try client.request(#"{"id":3,"cmd":"snooze","duration":600}"#)
        #expect(((snoozeAll["result"] as? [String: Any])?["events"] as? [Any])?.count == 2)

        let skip = try client.request(#"{"id":4,"cmd":"skip","kind":"posture"}"#)
        #expect(skip["ok"] as? Bool == true)

        let done = try client.request(#"{"id":5,"cmd":"done","kind":"walk"}"#)
        let doneEvent = ((done["result"] as? [String: Any])?["events"] as? [[String: Any]])?.first
        #expect(doneEvent?["event"] as? String == "break_taken")
        #expect(doneEvent?["manual"] as? Bool == true)

        let pause = try client.request(#"{"id":6,"cmd":"pause","duration":"30m"}"#)
        #expect(pause["ok"] as? Bool == true)
        let resume = try client.request(#"{"id":7,"cmd":"resume-reminders"}"#)
        #expect(resume["ok"] as? Bool == true)

        let lock = try client.request(#"{"id":8,"cmd":"presence","state":"lock"}"#)
        let away = ((lock["result"] as? [String: Any])?["events"] as? [[String: Any]])?.first
        #expect(away?["event"] as? String == "away")
        let unlock = try client.request(#"{"id":9,"cmd":"presence","state":"unlock"}"#)
        #expect(
            ((unlock["result"] as? [String: Any])?["events"] as? [[String: Any]])?.first?["event"] as? String == "back")

        let stats = try client.request(#"{"id":10,"cmd":"stats"}"#)
        let statsResult = stats["result"] as? [String: Any]
        #expect((statsResult?["days"] as? [[String: Any]])?.count == 8, "today and the 7 days before: \(stats)")
        #expect((statsResult?["totals"] as? [String: Any])?["days"] as? Int == 8)
    }

    @Test func refusalsAreErrorRepliesAndChangeNothing() throws {
        let daemon = try InProcessDaemon()
        defer { daemon.stop() }
        let client = try daemon.connect()
        let notPaused = try client.request(#"{"id":1,"cmd":"resume-reminders"}"#)
        #expect(notPaused["ok"] as? Bool == false)
        #expect((notPaused["error"] as? [String: Any])?["code"] as? String == "refused")
        #expect((notPaused["error"] as? [String: Any])?["message"] as? String == "reminders are not paused")
        let unknownKind = try client.request(#"{"id":2,"cmd":"skip","kind":"sit"}"#)
        #expect(
            (unknownKind["error"] as? [String: Any])?["message"] as? String
                == #"unknown kind "sit"; the kinds are walk, posture"#)
        _ = try client.request(#"{"id":3,"cmd":"snooze","kind":"walk"}"#)
        _ = try client.request(#"{"id":4,"cmd":"snooze","kind":"walk"}"#)
        let third = try client.request(#"{"id":5,"cmd":"snooze","kind":"walk"}"#)
        #expect((third["error"] as? [String: Any])?["code"] as? String == "refused")
        let status = try client.request(#"{"id":6,"cmd":"status"}"#)
        let walk = ((status["result"] as? [String: Any])?["kinds"] as? [[String: Any]])?.first
        #expect(walk?["snoozes"] as? Int == 2)
    }

    @Test(arguments: [
        ("not json", "malformed-json"),
        ("[1,2]", "invalid-request"),
        (#"{"id":1}"#, "invalid-request"),
        (#"{"id":1,"cmd":"dance"}"#, "unknown-command"),
        (#"{"id":1,"cmd":"skip"}"#, "bad-argument"),
        (#"{"id":1,"cmd":"pause","duration":"forever"}"#, "bad-argument"),
        (#"{"id":1,"cmd":"presence","state":"asleep"}"#, "bad-argument"),
    ])
    func malformedRequestsGetAnErrorAndTheConnectionStaysUsable(line: String, code: String) throws {
        let daemon = try InProcessDaemon()
        defer { daemon.stop() }
        let client = try daemon.connect()
        let reply = try client.request(line)
        #expect(reply["ok"] as? Bool == false)
        #expect((reply["error"] as? [String: Any])?["code"] as? String == code)
        #expect(try client.request(#"{"id":2,"cmd":"version"}"#)["ok"] as? Bool == true)
    }

    @Test func aClientThatStopsSendingStillGetsItsReplies() throws {
        // What `echo '{…}' | socat - UNIX-CONNECT:…` does: write, then shut down the sending side.
        let daemon = try InProcessDaemon()
        defer { daemon.stop() }
        let client = try daemon.connect()
        try client.send(#"{"id":1,"cmd":"version"}"#)
        try client.send(#"{"id":2,"cmd":"status"}"#)
        shutdown(client.fd, Int32(SHUT_WR))
        let first = try LineSocket.object(try #require(client.readLine()))
        let second = try LineSocket.object(try #require(client.readLine()))
        #expect(first["id"] as? Int == 1 && second["id"] as? Int == 2)
        #expect(client.readLine(timeout: 2) == nil)
    }

    @Test func aLineOverTheLimitIsAnErrorAndClosesTheConnection() throws {
        let daemon = try InProcessDaemon()
        defer { daemon.stop() }
        let client = try daemon.connect()
        let other = try daemon.connect()
        try client.send(String(repeating: "x", count: 70 * 1024))
        let reply = try LineSocket.object(try #require(client.readLine()))
        #expect((reply["error"] as? [String: Any])?["code"] as? String == "line-too-long")
        #expect(client.readLine(timeout: 2) == nil)  // closed
        #expect(try other.request(#"{"id":1,"cmd":"version"}"#)["ok"] as? Bool == true)
    }

    @Test func twoHundredConcurrentClients() async throws {
        let daemon = try InProcessDaemon()
        defer { daemon.stop() }
        let clients = try (0..<200).map { _ in try daemon.connect() }
        for (i, client) in clients.enumerated() { try client.send(#"{"id":\#(i),"cmd":"status"}"#) }
        for (i, client) in clients.enumerated() {
            let reply = try LineSocket.object(try #require(client.readLine()))
            #expect(reply["id"] as? Int == i)
            #expect(reply["ok"] as? Bool == true)
        }
    }

    @Test func aClientBeyondTheCapGetsInAndTheLongestIdleIsClosed() throws {
        var limits = ControlServer.Limits()
        limits.maximumClients = 3
        let daemon = try InProcessDaemon(limits: limits)
        defer { daemon.stop() }
        let kept = try (0..<3).map { _ in try daemon.connect() }
        for client in kept { #expect(try client.request(#"{"id":1,"cmd":"version"}"#)["ok"] as? Bool == true) }
        // kept[1] and kept[2] were active since kept[0]'s request: kept[0] is the longest idle.
        _ = try kept[1].request(#"{"id":2,"cmd":"version"}"#)
        _ = try kept[2].request(#"{"id":2,"cmd":"version"}"#)
        let extra = try daemon.connect()
        #expect(try extra.request(#"{"id":3,"cmd":"status"}"#)["ok"] as? Bool == true)
        let notice = try LineSocket.object(try #require(kept[0].readLine()))
        #expect((notice["error"] as? [String: Any])?["code"] as? String == "too-many-clients")
        #expect(kept[0].readLine(timeout: 2) == nil)  // closed
        #expect(try kept[1].request(#"{"id":4,"cmd":"version"}"#)["ok"] as? Bool == true)
    }

    @Test func subscribersGetStateAndEventsAndAStalledOneIsDropped() throws {
        var limits = ControlServer.Limits()
        limits.maximumSubscriberBacklog = 64 * 1024
        let daemon = try InProcessDaemon(limits: limits)
        defer { daemon.stop() }
        let stalled = try daemon.connect()
        var size: Int32 = 4096
        setsockopt(stalled.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        try stalled.send(#"{"id":1,"cmd":"subscribe"}"#)
        let watcher = try daemon.connect()
        let subscribed = try watcher.request(#"{"id":2,"cmd":"subscribe"}"#)
        #expect((subscribed["result"] as? [String: Any])?["subscribed"] as? Bool == true)
        let state = try LineSocket.object(try #require(watcher.readLine()))
        #expect(state["event"] as? String == "state")

        let driver = try daemon.connect()
        // Lock and unlock many times: each produces away/back events and state lines, far more than
        // the stalled subscriber's backlog allows. The watcher keeps reading as it goes.
        var events: [String] = []
        for i in 0..<400 {
            let word = i % 2 == 0 ? "lock" : "unlock"
            _ = try driver.request(#"{"id":\#(i),"cmd":"presence","state":"\#(word)"}"#)
            let expected = i % 2 == 0 ? "away" : "back"
            if watcher.waitForLine(where: { $0.contains(#""event":"\#(expected)""#) }) != nil {
                events.append(expected)
            }
        }
        #expect(events.count == 400)
        #expect(daemon.log.lines.contains { $0.hasPrefix("dropping a subscriber that stopped reading") })
    }

    @Test func aLiveReminderReachesSubscribers() throws {
        let daemon = try InProcessDaemon(config: InProcessDaemon.fastConfig)
        defer { daemon.stop() }
        let watcher = try daemon.connect()
        _ = try watcher.request(#"{"id":1,"cmd":"subscribe"}"#)
        let reminder = watcher.waitForLine(timeout: 6) { $0.contains(#""event":"reminder""#) }
        let object = try LineSocket.object(try #require(reminder))
        #expect(["posture", "walk"].contains(object["kind"] as? String))
        #expect(daemon.log.events.contains { $0.name == "reminder" })
    }

    @Test func reloadKeepsTheRunningConfigurationWhenTheFileIsBad() throws {
        let daemon = try InProcessDaemon()
        defer { daemon.stop() }
        let client = try daemon.connect()
        try "[breaks.walk]\nevery = \"40m\"\nduration = \"5m\"\n".write(
            toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let good = try client.request(#"{"id":1,"cmd":"reload"}"#)
        #expect((good["result"] as? [String: Any])?["config"] as? String == daemon.configPath)
        let kinds =
            ((try client.request(#"{"id":2,"cmd":"status"}"#)["result"] as? [String: Any])?["kinds"] as? [[String: Any]])
        #expect(kinds?.map { $0["name"] as? String } == ["walk"])
        #expect(kinds?.first?["every_s"] as? Int == 2400)

        try "[breaks.walk]\nevery = \"4 0m\"\n".write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let bad = try client.request(#"{"id":3,"cmd":"reload"}"#)
        let error = bad["error"] as? [String: Any]
        #expect(error?["code"] as? String == "reload-failed")
        #expect((error?["message"] as? String)?.hasPrefix(daemon.configPath + ":2: breaks.walk.every: ") == true)
        let after =
            ((try client.request(#"{"id":4,"cmd":"status"}"#)["result"] as? [String: Any])?["kinds"] as? [[String: Any]])
        #expect(after?.first?["every_s"] as? Int == 2400)
    }
}
