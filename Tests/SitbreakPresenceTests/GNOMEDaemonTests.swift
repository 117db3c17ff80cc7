import Foundation
import SitbreakTesting
import Testing

/// The built `sitbreakd` on a session bus with GNOME's services standing in (python3-dbusmock):
/// it chooses `mutter` for idle and `screensaver` for the lock, says so in `status`, turns
/// `WatchFired` and `ActiveChanged` into `away` and `back` for subscribers, and follows Mutter
/// leaving and coming back (issue 4).
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct GNOMEDaemonTests {
    static let config = """
        idle_threshold = "2s"
        [breaks.walk]
        every = "50m"
        duration = "5m"
        """

    /// The `status` result's chain for `question`: source name → (in use, detail).
    static func chain(_ daemon: DaemonProcess, _ question: String) throws -> [String: (Bool, String?)] {
        let reply = try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)
        let result = try #require(reply["result"] as? [String: Any], "\(reply)")
        let chains = try #require(result["presence"] as? [[String: Any]], "\(result)")
        let chain = try #require(chains.first { $0["question"] as? String == question }, "\(chains)")
        let sources = try #require(chain["sources"] as? [[String: Any]], "\(chain)")
        var states: [String: (Bool, String?)] = [:]
        for source in sources {
            guard let name = source["source"] as? String else { continue }
            states[name] = (source["in_use"] as? Bool ?? false, source["detail"] as? String)
        }
        return states
    }

    static func time(_ line: String, _ member: String) throws -> Date? {
        try (LineSocket.object(line)[member] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
    }

    @Test func theDaemonUsesMutterForAwayAndBackAndFollowsItsRestart() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        var mutter = try SessionBusMocks.mutter(on: bus)
        defer { mutter.stop() }
        let daemon = try DaemonProcess(config: Self.config)
        let started = Date()
        try daemon.start(environment: SessionBusMocks.environment(bus))

        let idle = try Self.chain(daemon, "idle")
        let detail = try #require(idle["mutter"]?.1)
        #expect(idle["mutter"]?.0 == true, "\(idle)")
        #expect(detail.hasPrefix("Mutter IdleMonitor watches (:1.") && detail.hasSuffix("idle after 2 s"), "\(detail)")
        let lock = try Self.chain(daemon, "lock")
        #expect(lock["screensaver"]?.0 == false)
        #expect(
            lock["screensaver"]?.1 == "none of org.gnome.ScreenSaver, org.freedesktop.ScreenSaver is on the session bus"
        )
        let inhibit = try Self.chain(daemon, "inhibit")
        #expect(inhibit["gnome"]?.1 == "org.gnome.SessionManager is not on the session bus", "\(inhibit)")

        let subscriber = try daemon.connect()
        try subscriber.send(#"{"id":1,"cmd":"subscribe"}"#)
        #expect(subscriber.waitForLine { $0.contains(#""subscribed":true"#) } != nil)

        // Mutter's idle watch fires: `away` at once, back-dated by the threshold. Mutter fires it a
        // threshold after the last input at the earliest, and the daemon took its start, when
        // Mutter said the person was active, as input.
        let idleWatch = try #require(try SessionBusMocks.idleWatch(mutter, milliseconds: 2000), "\(mutter.log)")
        Thread.sleep(until: started.addingTimeInterval(2.2))
        let fired = Date()
        try SessionBusMocks.fire(mutter, idleWatch)
        let awayLine = try #require(
            subscriber.waitForLine(timeout: 3) { $0.contains(#""event":"away""#) }, "no away: \(daemon.stderr)")
        #expect(Date().timeIntervalSince(fired) < 1, "away within a second of WatchFired")
        let since = try #require(try Self.time(awayLine, "since"), "\(awayLine)")
        // `since` is in whole seconds.
        #expect(since >= fired.addingTimeInterval(-3.5) && since <= fired.addingTimeInterval(-1), "\(awayLine)")

        // Input: the user-active watch fires, `back` at once.
        let typed = Date()
        try SessionBusMocks.input(mutter)
        let backLine = try #require(
            subscriber.waitForLine(timeout: 3) { $0.contains(#""event":"back""#) }, "no back: \(daemon.stderr)")
        #expect(Date().timeIntervalSince(typed) < 1, "back within a second of the input")
        #expect((try LineSocket.object(backLine)["away_s"] as? Int).map { $0 >= 2 } == true, "\(backLine)")

        // Mutter leaves: another idle source takes over, and the reason is shown.
        mutter.stop()
        var states = try Self.chain(daemon, "idle")
        let deadline = Date().addingTimeInterval(5)
        while states["mutter"]?.0 != false, Date() < deadline {
            usleep(50_000)
            states = try Self.chain(daemon, "idle")
        }
        #expect(states["mutter"]?.0 == false)
        #expect(states["mutter"]?.1 == "org.gnome.Mutter.IdleMonitor left the session bus", "\(states)")
        #expect(states.values.contains { $0.0 }, "some idle source is in use: \(states)")

        // Mutter comes back: chosen again, with fresh watches on the new owner.
        mutter = try SessionBusMocks.mutter(on: bus)
        let back = Date().addingTimeInterval(5)
        while try Self.chain(daemon, "idle")["mutter"]?.0 != true, Date() < back { usleep(50_000) }
        #expect(try Self.chain(daemon, "idle")["mutter"]?.0 == true, "\(daemon.stderr)")
        #expect(mutter.log.contains("AddIdleWatch 2000"), "\(mutter.log)")
        #expect(
            daemon.stderr.contains("presence: idle: lost mutter: org.gnome.Mutter.IdleMonitor left the session bus"))
        #expect(daemon.stderr.contains("presence: idle: mutter may be available now"), "\(daemon.stderr)")
        #expect(daemon.signal(SIGTERM) == 0)
    }

    @Test func theScreenSaverLocksAndUnlocksAtOnce() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mutter = try SessionBusMocks.mutter(on: bus)
        defer { mutter.stop() }
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start(environment: SessionBusMocks.environment(bus))
        // The screen saver appears after the daemon started: the lock chain picks it up.
        let saver = try DBusMock(bus: bus, template: "gnome_screensaver", name: "org.gnome.ScreenSaver", system: false)
        defer { saver.stop() }
        let deadline = Date().addingTimeInterval(5)
        while try Self.chain(daemon, "lock")["screensaver"]?.0 != true, Date() < deadline { usleep(50_000) }
        #expect(try Self.chain(daemon, "lock")["screensaver"]?.0 == true, "\(daemon.stderr)")

        let subscriber = try daemon.connect()
        try subscriber.send(#"{"id":1,"cmd":"subscribe"}"#)
        #expect(subscriber.waitForLine { $0.contains(#""subscribed":true"#) } != nil)
        let locked = Date()
        try saver.call("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "SetActive", ["b", "true"])
        #expect(subscriber.waitForLine(timeout: 3) { $0.contains(#""event":"away""#) } != nil, "\(daemon.stderr)")
        #expect(Date().timeIntervalSince(locked) < 1, "away within a second of ActiveChanged(true)")
        let unlocked = Date()
        try saver.call("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "SetActive", ["b", "false"])
        #expect(subscriber.waitForLine(timeout: 3) { $0.contains(#""event":"back""#) } != nil, "\(daemon.stderr)")
        #expect(Date().timeIntervalSince(unlocked) < 1, "back within a second of ActiveChanged(false)")
    }
}
