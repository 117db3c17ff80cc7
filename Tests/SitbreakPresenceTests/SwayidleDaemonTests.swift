import Foundation
import SitbreakTesting
import Testing

/// The built `sitbreakd` in a Wayland session (WAYLAND_DISPLAY set): it chooses swayidle for the
/// idle question, says so in `status`, and turns the compositor's idle and input into `away` and
/// `back` for subscribers. The daemon runs as the test's user (root in CI), connecting to the
/// compositor of the non-root test user.
@Suite(.serialized, .tags(.fixture, .sway), .needs(.sway)) struct SwayidleDaemonTests {
    static let config = """
        idle_threshold = "2s"
        [breaks.walk]
        every = "50m"
        duration = "5m"
        """

    @Test func theDaemonUsesSwayidleForAwayAndBack() throws {
        let sway = try HeadlessSway()
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start(environment: sway.clientEnvironment)
        let pid = try Self.swayidleProcessID(daemon)
        #expect(Self.parent(of: pid) == daemon.process?.processIdentifier, "swayidle is the daemon's child")
        // The daemon ignores SIGPIPE and blocks SIGHUP; its child must not inherit either.
        let signals = Self.status(of: pid)
        #expect(signals["SigIgn"].flatMap { UInt64($0, radix: 16) }.map { $0 & 0x7fff_ffff } == 0, "\(signals)")
        #expect(signals["SigBlk"].flatMap { UInt64($0, radix: 16) }.map { $0 & 1 } == 0, "SIGHUP blocked: \(signals)")

        let subscriber = try daemon.connect()
        try subscriber.send(#"{"id":1,"cmd":"subscribe"}"#)
        #expect(subscriber.waitForLine { $0.contains(#""subscribed":true"#) } != nil)

        // The last input, then nothing: `away` once the threshold passed, back-dated to the input.
        let moved = Date()
        try sway.moveCursor()
        let awayLine = try #require(
            subscriber.waitForLine(timeout: 8) { $0.contains(#""event":"away""#) }, "no away: \(daemon.stderr)")
        let away = try LineSocket.object(awayLine)
        let since = try #require((away["since"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        // `since` is in whole seconds.
        #expect(since <= moved.addingTimeInterval(0.5) && since >= moved.addingTimeInterval(-1.5), "\(awayLine)")
        #expect(Date().timeIntervalSince(moved) >= 1.9, "away only once the 2 s threshold passed")

        // Input: `back` at once.
        let input = Date()
        try sway.moveCursor()
        let backLine = try #require(
            subscriber.waitForLine(timeout: 3) { $0.contains(#""event":"back""#) }, "no back: \(daemon.stderr)")
        #expect(Date().timeIntervalSince(input) < 1, "back within a second of the input")
        let back = try LineSocket.object(backLine)
        #expect((back["away_s"] as? Int).map { $0 >= 2 } == true, "\(backLine)")

        // A clean stop ends swayidle with the daemon.
        #expect(daemon.signal(SIGTERM) == 0)
        #expect(Self.gone(pid), "swayidle outlived the daemon")
        #expect(daemon.stderr.contains("presence: idle: using swayidle"), "\(daemon.stderr)")
    }

    @Test func aKilledDaemonLeavesNoSwayidleBehind() throws {
        let sway = try HeadlessSway()
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start(environment: sway.clientEnvironment)
        let pid = try Self.swayidleProcessID(daemon)
        daemon.signal(SIGKILL)
        #expect(Self.gone(pid), "swayidle outlived a killed daemon (PR_SET_PDEATHSIG)")
    }

    /// The pid of the swayidle the daemon's `status` names as its idle source.
    static func swayidleProcessID(_ daemon: DaemonProcess) throws -> pid_t {
        let reply = try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)
        let result = try #require(reply["result"] as? [String: Any], "\(reply)")
        let chains = try #require(result["presence"] as? [[String: Any]], "\(result)")
        let idle = try #require(chains.first { $0["question"] as? String == "idle" }, "\(chains)")
        let sources = try #require(idle["sources"] as? [[String: Any]], "\(idle)")
        let swayidle = try #require(sources.first { $0["source"] as? String == "swayidle" }, "\(sources)")
        #expect(swayidle["in_use"] as? Bool == true, "\(sources)")
        let detail = try #require(swayidle["detail"] as? String, "\(swayidle)")
        #expect(detail.contains("idle after 2 s"), "\(detail)")
        #expect((result["sources"] as? [String])?.contains { $0.hasPrefix("idle: swayidle (swayidle (pid ") } == true)
        let digits = detail.drop { !$0.isNumber }.prefix { $0.isNumber }
        return try #require(pid_t(digits), "no pid in \(detail)")
    }

    /// `/proc/PID/status` as fields.
    static func status(of pid: pid_t) -> [String: String] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return fields
    }

    static func parent(of pid: pid_t) -> pid_t? { status(of: pid)["PPid"].flatMap { pid_t($0) } }

    /// Whether `pid` ended within a few seconds (gone, or a zombie waiting for a reaper other than
    /// the daemon).
    static func gone(_ pid: pid_t) -> Bool {
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline {
            guard let state = status(of: pid)["State"] else { return true }
            if state.hasPrefix("Z") || state.hasPrefix("X") { return true }
            usleep(20_000)
        }
        return false
    }
}
