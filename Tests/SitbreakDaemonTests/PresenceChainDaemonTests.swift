import Foundation
import SitbreakTesting
import Testing

/// The daemon's presence chains as `status` shows them, `[presence]` and its reload, and the
/// wall-clock watch, against the real `sitbreakd`.
@Suite struct PresenceChainDaemonTests {
    static let quiet = DaemonConfigs.quiet

    func presence(_ daemon: DaemonProcess) throws -> [String: [[String: Any]]] {
        let result = try #require(try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)["result"] as? [String: Any])
        let chains = try #require(result["presence"] as? [[String: Any]])
        var out: [String: [[String: Any]]] = [:]
        for chain in chains {
            out[chain["question"] as? String ?? "?"] = chain["sources"] as? [[String: Any]] ?? []
        }
        return out
    }

    func names(_ sources: [[String: Any]]?) -> [String] { (sources ?? []).compactMap { $0["source"] as? String } }
    func inUse(_ sources: [[String: Any]]?) -> String? {
        (sources ?? []).first { $0["in_use"] as? Bool == true }?["source"] as? String
    }

    @Test func statusNamesEveryChainAndWhyASourceIsNotUsed() throws {
        // No DISPLAY, no WAYLAND_DISPLAY, no session bus, stdin not a terminal: idle falls to
        // "always", and each skipped source says why.
        let daemon = try DaemonProcess(
            config: Self.quiet + "\n[presence]\nidle = [\"x11\", \"swayidle\", \"terminal\"]\ninhibit = []\n")
        try daemon.start()
        defer { daemon.signal(SIGTERM) }
        let chains = try presence(daemon)
        #expect(Set(chains.keys) == ["suspend", "lock", "idle", "inhibit"])
        #expect(names(chains["idle"]) == ["x11", "swayidle", "terminal", "always"])
        #expect(inUse(chains["idle"]) == "always")
        let details = Dictionary(
            uniqueKeysWithValues: (chains["idle"] ?? []).map {
                ($0["source"] as? String ?? "?", $0["detail"] as? String)
            })
        #expect(details["x11"] == "DISPLAY is not set")
        #expect(details["swayidle"]??.contains("WAYLAND_DISPLAY") == true)
        #expect(details["terminal"] == "standard input is not a terminal")
        #expect(names(chains["inhibit"]) == [])
        // The daemon said so in its log, too.
        #expect(daemon.stderr.contains("presence: idle: using always"))
        #expect(daemon.stderr.contains("x11: DISPLAY is not set"))
    }

    @Test func reloadRebuildsTheChainsAPresenceTableSets() throws {
        let daemon = try DaemonProcess(config: Self.quiet + "\n[presence]\nidle = [\"terminal\"]\n")
        try daemon.start()
        defer { daemon.signal(SIGTERM) }
        #expect(names(try presence(daemon)["idle"]) == ["terminal", "always"])
        try (Self.quiet + "\n[presence]\nidle = [\"x11\"]\n").write(
            toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let reply = try daemon.connect().request(#"{"id":2,"cmd":"reload"}"#)
        #expect(reply["ok"] as? Bool == true)
        #expect(names(try presence(daemon)["idle"]) == ["x11", "always"])
    }

    /// Setting the wall clock to its own value (a step of zero, harmless) still cancels every
    /// cancel-on-set timer: the daemon notices and re-anchors (needs root, as CI runs).
    @Test func aWallClockSetIsNoticed() throws {
        try #require(getuid() == 0, "setting the clock needs root (CAP_SYS_TIME); CI runs as root")
        let daemon = try DaemonProcess(config: Self.quiet)
        try daemon.start()
        defer { daemon.signal(SIGTERM) }
        let set = try ExternalCommand.run(
            "/usr/bin/python3",
            ["-c", "import time; time.clock_settime(time.CLOCK_REALTIME, time.clock_gettime(time.CLOCK_REALTIME))"])
        #expect(set.status == 0, "clock_settime: \(set.output)")
        var seen = false
        for _ in 0..<100 where !seen {
            seen = daemon.stderr.contains("the wall clock was set: moved by +0 s")
            if !seen { usleep(50_000) }
        }
        #expect(seen, "stderr: \(daemon.stderr)")
        #expect(try daemon.connect().request(#"{"id":3,"cmd":"version"}"#)["ok"] as? Bool == true)
    }
}
