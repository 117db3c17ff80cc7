import Foundation
import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The GNOME inhibitor source against the tests' dbusmock stand-in for gnome-session on a private
/// session bus (issue 4: GNOME `InhibitedActions` becomes inhibit/uninhibit).
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct GNOMEInhibitorSourceTests {
    static let second: Int64 = 1_000_000_000
    static let path = "/org/gnome/SessionManager"
    static let interface = "org.gnome.SessionManager"

    static func start(_ bus: PrivateBus, _ parameters: String? = nil) throws -> DBusMock {
        try SessionBusMocks.start(
            "gnome_session_manager.py", name: "org.gnome.SessionManager", on: bus, parameters: parameters)
    }

    /// Takes an inhibitor with `flags` as an application would; returns its cookie.
    static func inhibit(_ mock: DBusMock, flags: Int) throws -> String {
        let reply = try mock.call(
            Self.path, Self.interface, "Inhibit", ["susu", "org.example.Video", "0", "Playing", String(flags)])
        return String(reply.split(separator: " ").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: [true, false]) func idleInhibitorsComeAndGo(propertiesChanged: Bool) throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus, #"{"properties_changed": \#(propertiesChanged)}"#)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let source = GNOMEInhibitorSource()
        try source.start(recorder.context(environment: SessionBusMocks.environment(bus)))
        defer { source.stop() }
        #expect(recorder.words == [])

        let taken = SystemClock.boottimeNanoseconds()
        let video = try Self.inhibit(mock, flags: 8)
        #expect(recorder.run(until: 1, timeout: 3))
        #expect(recorder.words == ["inhibit"])
        #expect(recorder.entries[0].boottimeNanoseconds - taken < Self.second)
        // A suspend inhibitor beside it changes nothing; the idle one's release ends it. Both come
        // in one burst before the loop runs again: the signals of the first change must not bring
        // back a state already gone.
        let suspend = try Self.inhibit(mock, flags: 4)
        try mock.call(Self.path, Self.interface, "Uninhibit", ["u", video])
        #expect(recorder.run(until: 2, timeout: 3))
        recorder.run(until: 3, timeout: 0.5)
        #expect(recorder.words == ["inhibit", "uninhibit"])
        try mock.call(Self.path, Self.interface, "Uninhibit", ["u", suspend])
        recorder.run(until: 3, timeout: 0.5)
        #expect(recorder.words == ["inhibit", "uninhibit"])
    }

    @Test func inhibitedAtStartIsReportedAtOnce() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus, #"{"inhibited": 12}"#)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let source = GNOMEInhibitorSource()
        try source.start(recorder.context(environment: SessionBusMocks.environment(bus)))
        defer { source.stop() }
        #expect(recorder.words == ["inhibit"])
        #expect(source.description.hasPrefix("gnome-session idle inhibitors (:1."))
    }

    @Test func gnomeSessionLeavingIsLost() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus)
        let recorder = try PresenceRecorder()
        let source = GNOMEInhibitorSource()
        try source.start(recorder.context(environment: SessionBusMocks.environment(bus)))
        defer { source.stop() }
        mock.stop()
        #expect(recorder.runWhile(timeout: 3) { recorder.lostReasons.isEmpty })
        #expect(recorder.lostReasons == ["org.gnome.SessionManager left the session bus"])
    }

    @Test func noGnomeSessionIsUnavailable() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let recorder = try PresenceRecorder()
        let error = #expect(throws: PresenceUnavailable.self) {
            try GNOMEInhibitorSource().start(recorder.context(environment: SessionBusMocks.environment(bus)))
        }
        #expect(error?.reason == "org.gnome.SessionManager is not on the session bus")
    }
}
