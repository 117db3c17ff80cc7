import Glibc
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The logind sleep source against python3-dbusmock's logind (issue 4: "PrepareForSleep(true) /
/// (false) gives suspend/resume and the delay inhibitor is taken and released").
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct LogindSleepSourceTests {
    static let delay = LogindMock.Inhibitor(what: "sleep", who: "sitbreak", mode: "delay")

    /// Runs `recorder` until the mock lists `expected` (the mock drops an inhibitor when it sees
    /// the descriptor's hang-up, a moment after it is closed).
    static func waitForInhibitors(
        _ expected: [LogindMock.Inhibitor], _ logind: LogindMock, _ recorder: PresenceRecorder
    ) throws -> [LogindMock.Inhibitor] {
        var listed = try logind.inhibitors()
        var tries = 0
        while listed != expected && tries < 50 {
            recorder.runWhile(timeout: 0.05) { true }
            listed = try logind.inhibitors()
            tries += 1
        }
        return listed
    }

    @Test func prepareForSleepGivesSuspendAndResumeAroundTheDelayInhibitor() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let recorder = try PresenceRecorder()
        let source = LogindSleepSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        #expect(recorder.words == [])
        #expect(source.description == "logind PrepareForSleep, with a delay inhibitor")
        #expect(try logind.inhibitors() == [Self.delay], "the delay inhibitor is taken at start")
        #expect(source.inhibitorFD >= 0)

        try logind.prepareForSleep(true)
        recorder.run(until: 1)
        #expect(recorder.words == ["suspend"])
        #expect(source.inhibitorFD == -1)
        #expect(try Self.waitForInhibitors([], logind, recorder) == [], "released at once, so sleep is not held up")

        try logind.prepareForSleep(false)
        recorder.run(until: 2)
        #expect(recorder.words == ["suspend", "resume"])
        #expect(try logind.inhibitors() == [Self.delay], "taken again for the next sleep")

        source.stop()
        #expect(try Self.waitForInhibitors([], logind, recorder) == [], "stop() releases it")
    }

    @Test func aRepeatedSignalIsOneSuspend() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let recorder = try PresenceRecorder()
        let source = LogindSleepSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        try logind.prepareForSleep(true)
        try logind.prepareForSleep(true)
        try logind.prepareForSleep(false)
        recorder.run(until: 3, timeout: 1.5)
        #expect(recorder.words == ["suspend", "resume"])
    }

    @Test func withoutTheInhibitorSleepIsStillSeen() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        try logind.call(
            "/org/freedesktop/login1", "org.freedesktop.DBus.Mock", "AddMethod",
            [
                "sssss", "org.freedesktop.login1.Manager", "Inhibit", "ssss", "h",
                "raise dbus.exceptions.DBusException('Access denied', name='org.freedesktop.DBus.Error.AccessDenied')",
            ])
        let recorder = try PresenceRecorder()
        let source = LogindSleepSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        #expect(source.description.hasPrefix("logind PrepareForSleep, without a delay inhibitor ("))
        #expect(source.description.contains("Access denied"))
        #expect(recorder.logLines.count == 1)
        try logind.prepareForSleep(true)
        try logind.prepareForSleep(false)
        recorder.run(until: 2)
        #expect(recorder.words == ["suspend", "resume"])
        #expect(recorder.logLines.count == 1, "the refusal is logged once, not at every resume")
    }
}
