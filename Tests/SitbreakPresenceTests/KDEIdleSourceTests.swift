import Foundation
import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The KDE source against the tests' dbusmock stand-in for kscreenlocker's
/// `org.freedesktop.ScreenSaver` on a private session bus (issue 4: KDE `GetSessionIdleTime`):
/// idle time crossing the threshold, input, and services that are not KDE's.
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct KDEIdleSourceTests {
    static let second: Int64 = 1_000_000_000
    static let threshold = 2 * second
    static let path = "/ScreenSaver"
    static let mock = "org.freedesktop.DBus.Mock"

    static func start(_ bus: PrivateBus, _ parameters: String? = nil) throws -> DBusMock {
        try SessionBusMocks.start(
            "freedesktop_screensaver.py", name: "org.freedesktop.ScreenSaver", on: bus, parameters: parameters)
    }

    static func context(_ recorder: PresenceRecorder, _ bus: PrivateBus) -> PresenceContext {
        recorder.context(idleThresholdNanoseconds: threshold, environment: SessionBusMocks.environment(bus))
    }

    @Test func idleTimeCrossingTheThresholdIsIdleBackDatedThenInputIsActive() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let source = KDEIdleSource()
        let before = SystemClock.boottimeNanoseconds()
        try mock.call(Self.path, Self.mock, "Input")
        let after = SystemClock.boottimeNanoseconds()
        try source.start(Self.context(recorder, bus))
        defer { source.stop() }
        #expect(recorder.words == ["active"])
        #expect(source.description.contains("idle after 2 s"), "\(source.description)")

        // No input: idle once the idle time reaches the threshold, back-dated to the input.
        #expect(recorder.run(until: 2, timeout: 4))
        #expect(recorder.words == ["active", "idle"])
        let idle = try #require(recorder.entries.last)
        guard case .idle(let lastInput) = idle.report else { throw TestFailure("not idle: \(idle.report)") }
        #expect(lastInput >= before - 50_000_000 && lastInput <= after + 50_000_000, "back-dated to the input")
        #expect(idle.boottimeNanoseconds >= before + Self.threshold - 10_000_000, "not before the threshold")
        #expect(idle.boottimeNanoseconds < after + Self.threshold + Self.second / 2, "looked when it could turn idle")

        // Input: seen at the next look, within the recheck of one second.
        let typed = SystemClock.boottimeNanoseconds()
        try mock.call(Self.path, Self.mock, "Input")
        #expect(recorder.run(until: 3, timeout: 3))
        #expect(recorder.words == ["active", "idle", "active"])
        #expect(recorder.entries[2].boottimeNanoseconds - typed < Self.second + Self.second / 2)
    }

    @Test func whileActiveItLooksOncePerThresholdOnly() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let source = KDEIdleSource()
        try source.start(Self.context(recorder, bus))
        defer { source.stop() }
        // Typing every half second for 3 s: at most one look per threshold after the first.
        let end = SystemClock.boottimeNanoseconds() + 3 * Self.second
        while SystemClock.boottimeNanoseconds() < end {
            try mock.call(Self.path, Self.mock, "Input")
            recorder.run(until: 99, timeout: 0.5)
        }
        #expect(recorder.words == ["active"])
        let looks = SessionBusMocks.calls("GetSessionIdleTime", in: mock)
        #expect(looks >= 2 && looks <= 4, "\(looks) looks in 3 s of typing with a 2 s threshold")
    }

    @Test func idleAtStartReportsNothingUntilInput() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus, #"{"idletime": 600000}"#)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let source = KDEIdleSource()
        try source.start(Self.context(recorder, bus))
        defer { source.stop() }
        recorder.run(until: 1, timeout: 1.5)
        #expect(recorder.words == [])
        try mock.call(Self.path, Self.mock, "Input")
        #expect(recorder.run(until: 1, timeout: 3))
        #expect(recorder.words == ["active"])
    }

    @Test func afterAResumeTheNextInputIsActiveAgain() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let source = KDEIdleSource()
        try source.start(Self.context(recorder, bus))
        defer { source.stop() }
        #expect(recorder.words == ["active"])
        source.machineResumed()
        // The input from before the sleep is not new, neither within the threshold nor after it.
        recorder.run(until: 2, timeout: 3)
        #expect(recorder.words == ["active"])
        try mock.call(Self.path, Self.mock, "Input")
        #expect(recorder.run(until: 2, timeout: 3))
        #expect(recorder.words == ["active", "active"])
    }

    @Test func gnomesServiceWithoutGetSessionIdleTimeIsUnavailable() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus, #"{"gnome": true}"#)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let error = #expect(throws: PresenceUnavailable.self) { try KDEIdleSource().start(Self.context(recorder, bus)) }
        let reason = error?.reason ?? ""
        #expect(reason.hasPrefix("org.freedesktop.ScreenSaver (:1."), "\(reason)")
        #expect(
            reason.hasSuffix(
                "does not answer GetSessionIdleTime (GNOME's does not, nor KDE's on Wayland): This method is not "
                    + "implemented (org.freedesktop.DBus.Error.NotSupported)"), "\(reason)")
    }

    @Test func aScreenSaverThatIsNotKDEsIsUnavailable() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus, #"{"kde_name": false}"#)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let error = #expect(throws: PresenceUnavailable.self) { try KDEIdleSource().start(Self.context(recorder, bus)) }
        #expect(error?.reason.contains("is not KDE's screen locker (org.kde.screensaver is not its name)") == true)
    }

    @Test func stopEndsThePolling() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus, #"{"idletime": 600000}"#)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let source = KDEIdleSource()
        try source.start(Self.context(recorder, bus))
        recorder.run(until: 1, timeout: 1.2)
        let looks = SessionBusMocks.calls("GetSessionIdleTime", in: mock)
        #expect(looks >= 2, "idle: a look every second")
        source.stop()
        recorder.run(until: 1, timeout: 1.5)
        #expect(SessionBusMocks.calls("GetSessionIdleTime", in: mock) == looks)
    }

    @Test func theServiceLeavingIsLost() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try Self.start(bus)
        let recorder = try PresenceRecorder()
        let source = KDEIdleSource()
        try source.start(Self.context(recorder, bus))
        defer { source.stop() }
        mock.stop()
        #expect(recorder.runWhile(timeout: 3) { recorder.lostReasons.isEmpty })
        #expect(recorder.lostReasons == ["org.freedesktop.ScreenSaver left the session bus"])
    }
}
