import Foundation
import SitbreakTesting
import Testing

/// The built `sitbreakd` with logind (python3-dbusmock) on a private system bus: the logind
/// sources are chosen, `status` says so, and a lock reaches subscribers as `away` and `back`.
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct LogindDaemonTests {
    @Test func theDaemonUsesLogindAndALockIsAwayThenBack() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let session = try logind.addSession("_32")
        try logind.getSessionReturns(session)
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        try daemon.start(environment: logind.environment)
        defer { daemon.signal(SIGKILL) }

        let client = try daemon.connect()
        let status = try #require(try client.request(#"{"id":1,"cmd":"status"}"#)["result"] as? [String: Any])
        let chains = try #require(status["presence"] as? [[String: Any]])
        var inUse: [String: (source: String, detail: String)] = [:]
        for chain in chains {
            let question = try #require(chain["question"] as? String)
            let sources = try #require(chain["sources"] as? [[String: Any]])
            if let used = sources.first(where: { $0["in_use"] as? Bool == true }) {
                inUse[question] = (used["source"] as? String ?? "", used["detail"] as? String ?? "")
            }
        }
        for question in ["suspend", "lock", "idle", "inhibit"] {
            #expect(inUse[question]?.source == "logind", "\(question): \(chains)")
        }
        #expect(inUse["suspend"]?.detail == "logind PrepareForSleep, with a delay inhibitor")
        #expect(inUse["lock"]?.detail == #"logind LockedHint of \#(session) (found by GetSession("auto"))"#)
        #expect(inUse["idle"]?.detail.hasPrefix("logind IdleHint of \(session)") == true)
        #expect(inUse["inhibit"]?.detail.hasPrefix("logind idle inhibitors") == true)
        #expect(status["present"] as? Bool == true, "logind's IdleHint=false at start is input")
        #expect(try logind.inhibitors() == [LogindMock.Inhibitor(what: "sleep", who: "sitbreak", mode: "delay")])

        let watcher = try daemon.connect()
        _ = try watcher.request(#"{"id":2,"cmd":"subscribe"}"#)
        try logind.setLocked(session, true)
        let away = try #require(watcher.waitForLine { $0.contains(#""event":"away""#) }, "no away: \(daemon.stderr)")
        #expect(!away.isEmpty)
        try logind.setLocked(session, false)
        let back = try #require(watcher.waitForLine { $0.contains(#""event":"back""#) }, "no back: \(daemon.stderr)")
        #expect(!back.isEmpty)
    }

    @Test func withoutLogindStatusSaysWhy() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        try daemon.start(environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.address])
        defer { daemon.signal(SIGKILL) }
        let status = try #require(
            try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)["result"] as? [String: Any])
        let chains = try #require(status["presence"] as? [[String: Any]])
        let lock = try #require(chains.first { $0["question"] as? String == "lock" })
        let logind = try #require((lock["sources"] as? [[String: Any]])?.first { $0["source"] as? String == "logind" })
        #expect(logind["in_use"] as? Bool == false)
        #expect(logind["detail"] as? String == "systemd-logind (org.freedesktop.login1) is not on the system bus")
    }
}
