import Foundation
import SitbreakTesting
import Testing

/// The live daemon and the simulator agree: `stats` over the socket of a real `sitbreakd`, driven
/// through a seconds-scale trace with presence and commands over its socket, equals
/// `sitbreakctl simulate --stats` of the same trace (docs/statistics.md).
@Suite("stats: the live daemon equals simulate --stats")
struct LiveStatisticsTests {
    /// Seconds-scale, every presence source off but the socket's feed (and `always`, which says
    /// present once at start: that instant is the trace's first `active`).
    static let config = """
        idle_threshold = "1s"
        coalesce = "0s"
        day_starts = "00:00"
        [presence]
        idle = []
        lock = []
        suspend = []
        inhibit = []
        [breaks.walk]
        every = "4s"
        duration = "2s"
        renotify = "2s"
        max_nags = 1
        [breaks.posture]
        every = "3s"
        duration = "0s"
        """

    /// The current wall-clock time.
    static func wallClock() -> Double { Date().timeIntervalSince1970 }

    /// Waits until half a second past a whole second at least `seconds` after `after`, so the
    /// daemon's clock and ours cannot disagree about which second a request lands in.
    static func waitUntil(secondAfter after: Int, plus seconds: Int) {
        let target = Double(after + seconds) + 0.5
        let delay = target - wallClock()
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
    }

    static func rfc3339(_ second: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(second)))
    }

    @Test func statsOverTheSocketEqualSimulateStats() throws {
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start()
        let client = try daemon.connect()
        let status = try #require(try client.request(#"{"id":1,"cmd":"status"}"#)["result"] as? [String: Any])
        let since = try #require(status["sitting_since"] as? String, "the always source makes the person present")
        let start = Int(try #require(ISO8601DateFormatter().date(from: since)).timeIntervalSince1970)
        var trace = ["\(Self.rfc3339(start)) active"]
        var id = 2
        /// Sends `request` at the next half second `seconds` after `after`; returns its second.
        func send(_ word: String, _ request: String, after: Int, plus seconds: Int) throws -> Int {
            Self.waitUntil(secondAfter: after, plus: seconds)
            let second = Int(Self.wallClock())
            let reply = try client.request(#"{"id":\#(id),"# + request + "}")
            #expect(Int(Self.wallClock()) == second, "the request took too long to land in one second")
            #expect(reply["ok"] as? Bool == true, "\(word): \(reply)")
            id += 1
            trace.append("\(Self.rfc3339(second)) \(word)")
            return second
        }
        // Sits through posture and walk reminders, snoozes the walk, leaves long enough for a
        // walk break, comes back, is reminded again, skips posture, then leaves.
        var t = try send("snooze walk 2s", #""cmd":"snooze","kind":"walk","duration":2"#, after: start, plus: 5)
        t = try send("lock", #""cmd":"presence","state":"lock""#, after: t, plus: 3)
        t = try send("unlock", #""cmd":"presence","state":"unlock""#, after: t, plus: 3)
        t = try send("active", #""cmd":"presence","state":"active""#, after: t, plus: 1)
        t = try send("skip posture", #""cmd":"skip","kind":"posture""#, after: t, plus: 3)
        t = try send("idle", #""cmd":"presence","state":"idle""#, after: t, plus: 2)
        t = try send("lock", #""cmd":"presence","state":"lock""#, after: t, plus: 1)
        Self.waitUntil(secondAfter: t, plus: 4)
        let asked = Int(Self.wallClock())
        let reply = try client.request(#"{"id":99,"cmd":"stats"}"#)
        let result = try #require(reply["result"] as? [String: Any], "\(reply)")
        let days = try #require(result["days"] as? [[String: Any]])
        // The daemon answered at `asked`: what it knew then is what the trace knows by its end.
        trace.append("\(Self.rfc3339(asked + 1)) end")

        let directory = daemon.directory.path
        try (trace.joined(separator: "\n") + "\n").write(
            toFile: directory + "/live.trace", atomically: true, encoding: .utf8)
        let simulated = try Sitbreakctl.run(
            ["simulate", "--config", daemon.configPath, "--trace", directory + "/live.trace", "--stats"])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let expected = try simulated.stdout.split(separator: "\n").map { try LineSocket.object(String($0)) }
        let day = try #require(expected.last)
        let live = try #require(days.first { $0["day"] as? String == day["day"] as? String }, "\(days)")
        #expect(
            NSDictionary(dictionary: live) == NSDictionary(dictionary: day), "trace:\n\(trace.joined(separator: "\n"))")
        // Something happened: the comparison is not of two empty days.
        let walk = try #require((day["kinds"] as? [String: Any])?["walk"] as? [String: Any])
        #expect(walk["reminders"] as? Int ?? 0 >= 1)
        #expect(walk["breaks"] as? Int == 2)  // after the lock at 06, and after the last one
        #expect((day["sitting_s"] as? Int ?? 0) > 0)
        // The totals of a range add its days up.
        let totals = try #require(result["totals"] as? [String: Any])
        #expect(totals["sitting_s"] as? Int == days.reduce(0) { $0 + ($1["sitting_s"] as? Int ?? 0) })

        // sitbreakctl stats --json asks the daemon and prints the same day.
        let ctl = try Sitbreakctl.run(
            ["stats", "--json", "--config", daemon.configPath, "--since", day["day"] as? String ?? ""],
            environment: ["XDG_RUNTIME_DIR": daemon.runtimeDirectory])
        #expect(ctl.status == 0, "\(ctl.stderr)")
        let printed = try ctl.stdout.split(separator: "\n").map { try LineSocket.object(String($0)) }
        #expect(printed.count == 1 && NSDictionary(dictionary: printed[0]) == NSDictionary(dictionary: day))

        // Asked again (finished days now come from the daemon's cache): the same days.
        let again = try #require(
            try client.request(#"{"id":98,"cmd":"stats"}"#)["result"] as? [String: Any], "a second stats")
        #expect(NSDictionary(dictionary: again) == NSDictionary(dictionary: result))

        // A stats request with a wrong type is an error reply; the connection stays usable.
        let bad = try client.request(#"{"id":100,"cmd":"stats","since":7}"#)
        #expect((bad["error"] as? [String: Any])?["code"] as? String == "bad-argument")
        #expect(try client.request(#"{"id":101,"cmd":"version"}"#)["ok"] as? Bool == true)
    }
}
