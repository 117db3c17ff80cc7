import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// Every logind source is lost when logind leaves the bus and says when it is back, so the
/// chain falls back and later returns to it (issue 4: "the name disappearing and coming back").
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct LogindAppearanceTests {
    static func source(_ question: PresenceQuestion) throws -> any PresenceSource {
        try #require(PresenceCatalog.makeSource("logind", for: question))
    }

    @Test(arguments: PresenceQuestion.allCases)
    func logindLeavingLosesTheSourceAndComingBackMakesItAppear(question: PresenceQuestion) throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        try logind.getSessionReturns(try logind.addSession("_32"))
        let recorder = try PresenceRecorder()
        let context = recorder.context(environment: logind.environment)
        let source = try Self.source(question)
        #expect(source.id == "logind")
        #expect(source.question == question)
        try source.start(context)

        logind.mock.stop()
        recorder.runWhile(timeout: 3) { recorder.lostReasons.isEmpty }
        #expect(recorder.lostReasons == ["systemd-logind left the system bus"])
        // What the chain does next: stop it, and watch for logind's return.
        source.stop()
        var appeared = 0
        #expect(source.watchForAppearance(context) { appeared += 1 })
        defer { source.stopWatching() }
        recorder.runWhile(timeout: 0.3) { appeared == 0 }
        #expect(appeared == 0)

        try logind.restart()
        recorder.runWhile(timeout: 3) { appeared == 0 }
        #expect(appeared == 1)
        // Started again on the new logind (a session of the new mock for the session sources).
        source.stopWatching()
        try logind.getSessionReturns(try logind.addSession("_32"))
        try source.start(context)
        source.stop()
        #expect(recorder.lostReasons.count == 1, "stop() is not a loss")
    }

    @Test(arguments: PresenceQuestion.allCases)
    func withoutLogindEverySourceSaysSoAndWatchesForIt(question: PresenceQuestion) throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let recorder = try PresenceRecorder()
        let context = recorder.context(environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.address])
        let source = try Self.source(question)
        let error = #expect(throws: PresenceUnavailable.self) { try source.start(context) }
        #expect(error?.reason == "systemd-logind (org.freedesktop.login1) is not on the system bus")
        var appeared = false
        #expect(source.watchForAppearance(context) { appeared = true })
        defer { source.stopWatching() }
        let mock = try DBusMock(bus: bus, template: "logind", name: "org.freedesktop.login1", system: true)
        defer { mock.stop() }
        recorder.runWhile(timeout: 3) { !appeared }
        #expect(appeared)
    }
}
