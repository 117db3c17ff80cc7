import Foundation
import SitbreakTesting
import Testing

/// The real `sitbreakd` with X11 presence from a real Xvfb: the chain falls back and says why
/// when X11 cannot answer, and the issue's end-to-end scenario (issue 4: "a live daemon with a
/// seconds-scale config, presence from X11, a walk reminder, the person goes idle for the break's
/// duration, break_taken in the journal").
@Suite(.serialized, .tags(.fixture, .xvfb), .needs(.xvfb)) struct X11DaemonTests {
    /// The idle chain of a `status` reply: (source, in use, detail) in order.
    static func idleChain(_ daemon: DaemonProcess) throws -> [(source: String, inUse: Bool, detail: String?)] {
        let reply = try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)
        let result = try #require(reply["result"] as? [String: Any], "status failed: \(reply)")
        let chains = try #require(result["presence"] as? [[String: Any]], "no presence in \(result)")
        let idle = try #require(chains.first { $0["question"] as? String == "idle" }, "no idle chain: \(chains)")
        let sources = try #require(idle["sources"] as? [[String: Any]])
        return sources.map { ($0["source"] as? String ?? "?", $0["in_use"] as? Bool ?? false, $0["detail"] as? String) }
    }

    @Test func withoutTheScreenSaverExtensionTheDaemonFallsBackAndSaysWhy() throws {
        let server = try XvfbServer(arguments: ["-extension", "MIT-SCREEN-SAVER"])
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        try daemon.start(environment: server.environment)
        let chain = try Self.idleChain(daemon)
        let x11 = try #require(chain.first { $0.source == "x11" }, "x11 is not in the chain: \(chain)")
        #expect(!x11.inUse)
        #expect(x11.detail == "the X server \(server.display) has no MIT-SCREEN-SAVER extension")
        #expect(chain.first { $0.inUse }?.source == "always", "\(chain)")
        daemon.signal(SIGTERM)
        // Sources ranked above x11 (mutter, without a session bus here) are listed before it.
        let choice = daemon.stderr.split(separator: "\n").last { $0.contains("presence: idle: using always") } ?? ""
        #expect(
            choice.contains("; not used: ")
                && choice.contains("x11: the X server \(server.display) has no MIT-SCREEN-SAVER extension"),
            "\(daemon.stderr)")
    }

    /// The daemon links no X library: with one hidden (a bind mount of /dev/null over it, in a
    /// private mount namespace) it still runs, and says why x11 is not used.
    @Test(arguments: [("libX11.so.6", "libX11 cannot be loaded"), ("libXss.so.1", "libXss cannot be loaded")])
    func withoutAnXLibraryTheDaemonRunsAndSaysWhy(library: String, reason: String) throws {
        let directories = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
        let path = try #require(
            directories.map { $0 + "/" + library }.first { FileManager.default.fileExists(atPath: $0) },
            "\(library) is not installed: install libx11-6 and libxss1 (make deps does)")
        let server = try XvfbServer()
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        let hide = [
            "/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
            #"mount --bind /dev/null "$0" && exec "$@""#, path,
        ]
        try daemon.start(environment: server.environment, wrapper: hide)
        let chain = try Self.idleChain(daemon)
        let x11 = try #require(chain.first { $0.source == "x11" }, "x11 is not in the chain: \(chain)")
        #expect(!x11.inUse)
        #expect(x11.detail?.hasPrefix(reason + " (") == true, "\(x11.detail ?? "nil")")
        #expect(chain.first { $0.inUse }?.source == "always", "\(chain)")
    }

    @Test func theServerGoingAwayMakesTheDaemonFallBack() throws {
        let server = try XvfbServer()
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        try daemon.start(environment: server.environment)
        var chain = try Self.idleChain(daemon)
        #expect(chain.first { $0.inUse }?.source == "x11", "\(chain)")
        #expect(chain.first { $0.inUse }?.detail == "X11 MIT-SCREEN-SAVER on \(server.display), XSync IDLETIME alarms")
        let display = server.display
        server.stop()
        let deadline = Date().addingTimeInterval(5)
        repeat {
            usleep(50_000)
            chain = try Self.idleChain(daemon)
        } while chain.first(where: { $0.inUse })?.source != "always" && Date() < deadline
        #expect(chain.first { $0.inUse }?.source == "always", "\(chain)")
        #expect(chain.first { $0.source == "x11" }?.detail == "the X server \(display) closed the connection")
        #expect(daemon.process?.isRunning == true, "the daemon outlives the X server")
    }

    /// Wall-clock seconds since the epoch, as the journal's `SITBREAK_*` times count.
    static func epochSeconds(_ rfc3339: String?) -> Int? {
        guard let rfc3339 else { return nil }
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: rfc3339).map { Int($0.timeIntervalSince1970) }
    }

    @Test(.tags(.journald), .needs(.journald)) func walkReminderThenIdleForTheBreakIsAwayBreakTakenAndBackInTheJournal()
        throws
    {
        let journal = try PrivateJournal.start()
        defer { journal.stop() }
        let server = try XvfbServer()
        let config = """
            idle_threshold = "2s"
            coalesce = "0s"
            [breaks.walk]
            every = "5s"
            duration = "3s"
            renotify = "1m"
            max_nags = 0
            """
        let daemon = try DaemonProcess(config: config)
        try server.moveMouse()
        try daemon.start(environment: server.environment, wrapper: journal.command([]))
        // The daemon has no WAYLAND_DISPLAY and no session bus: the chain picks x11.
        let chain = try Self.idleChain(daemon)
        #expect(chain.first { $0.inUse }?.source == "x11", "\(chain)")
        let events = try daemon.connect()
        _ = try events.request(#"{"id":1,"cmd":"subscribe"}"#)

        // The person sits, moving the mouse, until the walk reminder (5 s of sitting).
        var reminder: String?
        var lastMove = Date()
        let sitting = Date().addingTimeInterval(15)
        while reminder == nil && Date() < sitting {
            try server.moveMouse()
            lastMove = Date()
            reminder = events.waitForLine(timeout: 0.5) { $0.contains(#""event":"reminder""#) }
        }
        #expect(reminder?.contains(#""kind":"walk""#) == true, "no walk reminder within 15 s: \(daemon.stderr)")
        // They read it, touch the mouse once more, and get up.
        Thread.sleep(forTimeInterval: 1.2)
        try server.moveMouse()
        lastMove = Date()

        // Then no input for longer than the break: away (threshold 2 s), the break (3 s).
        let taken = events.waitForLine(timeout: 8) { $0.contains(#""event":"break_taken""#) }
        #expect(taken != nil, "no break_taken: \(daemon.stderr)")
        Thread.sleep(forTimeInterval: 0.5)
        let moveBack = Date()
        try server.moveMouse()
        let back = events.waitForLine(timeout: 3) { $0.contains(#""event":"back""#) }
        #expect(back != nil, "no back after the move")
        let backLatency = Date().timeIntervalSince(moveBack)
        #expect(backLatency < 1, "back \(Int(backLatency * 1000)) ms after the move began")
        daemon.signal(SIGTERM)

        let walk = try journal.entries(matching: ["SITBREAK_EVENT=reminder", "SITBREAK_KIND=walk"])
        #expect(walk.count == 1, "\(walk)")
        let away = try journal.entries(matching: ["SITBREAK_EVENT=away"])
        #expect(away.count == 1, "\(away)")
        // Back-dated to the last move: `since` is that second (the engine counts whole seconds).
        let since = try #require(Self.epochSeconds(away.first?["SITBREAK_SINCE"]), "\(away)")
        let moved = Int(lastMove.timeIntervalSince1970)
        #expect((moved - 1...moved + 1).contains(since), "away since \(since), last move at \(moved)")
        let awayAt = try #require(Self.epochSeconds(away.first?["SITBREAK_TIME"]))
        #expect((since + 2...since + 3).contains(awayAt), "away learnt at \(awayAt), since \(since)")

        let breaks = try journal.entries(matching: ["SITBREAK_EVENT=break_taken"])
        let walkBreak = try #require(breaks.first, "no break_taken in the journal")
        #expect(breaks.count == 1, "\(breaks)")
        #expect(walkBreak["SITBREAK_KIND"] == "walk")
        #expect(walkBreak["SITBREAK_NATURAL"] == "false", "the reminder came before the absence began")
        #expect(walkBreak["SITBREAK_MANUAL"] == "false")
        #expect(walkBreak["SITBREAK_AWAY_S"] == "3")

        let backs = try journal.entries(matching: ["SITBREAK_EVENT=back"])
        #expect(backs.count == 1, "\(backs)")
        #expect(Int(backs.first?["SITBREAK_AWAY_S"] ?? "").map { $0 >= 3 } == true, "\(backs)")
        let log = try journal.entries(matching: ["SYSLOG_IDENTIFIER=sitbreakd"])
        #expect(
            log.contains { ($0["MESSAGE"] ?? "").hasPrefix("presence: idle: using x11") },
            "\(log.map { $0["MESSAGE"] ?? "" })")
    }
}
