import Foundation
import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The logind lock source and the session discovery it shares with the idle source, against
/// python3-dbusmock's logind on a private bus (issue 4: "LockedHint true/false gives away/back at
/// once", "the session found through GetSession("auto")").
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct LogindLockSourceTests {
    static let second: Int64 = 1_000_000_000

    /// A mock with session `_32` of the test's user, returned by `GetSession("auto")`.
    static func mockWithAutoSession() throws -> (LogindMock, String) {
        let logind = try LogindMock()
        let session = try logind.addSession("_32")
        try logind.getSessionReturns(session)
        return (logind, session)
    }

    @Test func lockedHintGivesLockAndUnlockAtOnce() throws {
        let (logind, session) = try Self.mockWithAutoSession()
        defer { logind.stop() }
        let recorder = try PresenceRecorder()
        let source = LogindLockSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        #expect(recorder.words == [], "an unlocked session at start reports nothing")

        for (locked, count) in [(true, 1), (false, 2)] {
            let changed = SystemClock.boottimeNanoseconds()
            try logind.setLocked(session, locked)
            recorder.run(until: count, timeout: 3)
            let entry = try #require(recorder.entries.last)
            #expect(entry.report == (locked ? .lock : .unlock))
            let latency = entry.boottimeNanoseconds - changed
            #expect(
                latency < Self.second, "\(locked ? "lock" : "unlock") came \(latency / 1_000_000) ms after the change")
        }
        #expect(recorder.words == ["lock", "unlock"])
    }

    @Test func aSessionLockedAtStartIsReportedAtStart() throws {
        let (logind, session) = try Self.mockWithAutoSession()
        defer { logind.stop() }
        try logind.setLocked(session, true)
        let recorder = try PresenceRecorder()
        let source = LogindLockSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        #expect(recorder.words == ["lock"])
        // The same value again (a PropertiesChanged that changes nothing) is no new report.
        try logind.setLocked(session, true)
        recorder.run(until: 2, timeout: 1)
        #expect(recorder.words == ["lock"])
    }

    @Test func theSessionFromGetSessionAutoIsWatchedAndOthersAreIgnored() throws {
        let (logind, session) = try Self.mockWithAutoSession()
        defer { logind.stop() }
        let other = try logind.addSession("c7")
        let recorder = try PresenceRecorder()
        let source = LogindLockSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        #expect(source.description == #"logind LockedHint of \#(session) (found by GetSession("auto"))"#)
        #expect(logind.mock.log.contains(#"GetSession "auto""#))

        // Another session of the same user locking is not this session locking.
        try logind.setLocked(other, true)
        recorder.run(until: 1, timeout: 1)
        #expect(recorder.words == [])
        try logind.setLocked(session, true)
        recorder.run(until: 1)
        #expect(recorder.words == ["lock"])
    }

    @Test func aSignalFromAnotherSenderWithLogindsPathIsIgnored() throws {
        let (logind, session) = try Self.mockWithAutoSession()
        defer { logind.stop() }
        let recorder = try PresenceRecorder()
        let source = LogindLockSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        // busctl is a client of its own: its PropertiesChanged claims the session is locked.
        try logind.bus.busctl([
            "emit", session, "org.freedesktop.DBus.Properties", "PropertiesChanged", "sa{sv}as",
            "org.freedesktop.login1.Session", "1", "LockedHint", "b", "true", "0",
        ])
        recorder.run(until: 1, timeout: 1)
        #expect(recorder.words == [])
    }

    @Test func withoutGetSessionTheUsersDisplayIsFollowed() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let first = try logind.addSession("_32")
        let second = try logind.addSession("_33")
        try logind.getSessionFails()
        try logind.setDisplay(first)
        let recorder = try PresenceRecorder()
        let source = LogindLockSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        #expect(source.description == "logind LockedHint of \(first) (found by the user's Display)")
        #expect(logind.mock.log.contains("GetUser \(logind.uid)"))

        try logind.setLocked(first, true)
        recorder.run(until: 1)
        #expect(recorder.words == ["lock"])

        // The user's graphical session moves: the new one is watched (unlocked: `unlock`), the old
        // one no more.
        try logind.setDisplay(second)
        recorder.run(until: 2)
        #expect(recorder.words == ["lock", "unlock"])
        #expect(source.description == "logind LockedHint of \(second) (found by the user's Display)")
        try logind.setLocked(first, false)
        recorder.run(until: 3, timeout: 1)
        #expect(recorder.words == ["lock", "unlock"])
        try logind.setLocked(second, true)
        recorder.run(until: 3)
        #expect(recorder.words == ["lock", "unlock", "lock"])

        // The graphical session ends: the source is lost.
        try logind.setDisplay(nil)
        recorder.runWhile(timeout: 3) { recorder.lostReasons.isEmpty }
        #expect(recorder.lostReasons == ["the user's graphical session ended"])
    }

    @Test func whenTheWatchedSessionEndsTheUsersNextDisplayIsFollowedOrTheSourceIsLost() throws {
        let (logind, first) = try Self.mockWithAutoSession()
        defer { logind.stop() }
        let second = try logind.addSession("_33")
        try logind.setDisplay(first)
        let recorder = try PresenceRecorder()
        let source = LogindLockSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }

        // Another session ending changes nothing.
        try logind.removeSession("/org/freedesktop/login1/session/c9")
        // The watched one ends while the user still has a graphical session: that one is followed.
        try logind.setLocked(second, true)
        try logind.setDisplayQuietly(second)
        try logind.removeSession(first)
        recorder.run(until: 1)
        #expect(recorder.words == ["lock"], "the new session is locked")
        #expect(source.description.hasPrefix("logind LockedHint of \(second) "))
        #expect(recorder.lostReasons == [])

        // The last one ends (logind's Display still names it while it stops): lost.
        try logind.removeSession(second)
        recorder.runWhile(timeout: 3) { recorder.lostReasons.isEmpty }
        #expect(recorder.lostReasons == ["the user's graphical session ended"])
    }

    @Test func noGraphicalSessionIsAClearReason() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        try logind.getSessionFails()
        let recorder = try PresenceRecorder()
        let unknown = #expect(throws: PresenceUnavailable.self) {
            try LogindLockSource().start(recorder.context(environment: logind.environment))
        }
        #expect(unknown?.reason.hasPrefix(#"no login session: GetSession("auto") failed ("#) == true)
        #expect(unknown?.reason.contains("and logind knows no user \(logind.uid) (") == true)
        #expect(unknown?.reason.contains("org.freedesktop.login1.NoSuchUser") == true)

        try logind.addSession("_32")
        let error = #expect(throws: PresenceUnavailable.self) {
            try LogindLockSource().start(recorder.context(environment: logind.environment))
        }
        #expect(error?.reason.hasPrefix(#"no graphical session: GetSession("auto") failed ("#) == true)
        #expect(error?.reason.contains("No session 'auto' known") == true)
        #expect(error?.reason.hasSuffix("and user \(logind.uid) has no Display session") == true)
    }

    @Test func aSessionAppearingOnTheDisplayMakesTheSourceAppear() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let session = try logind.addSession("_32")
        try logind.getSessionFails()
        let recorder = try PresenceRecorder()
        let context = recorder.context(environment: logind.environment)
        let source = LogindLockSource()
        #expect(throws: PresenceUnavailable.self) { try source.start(context) }
        var appeared = false
        #expect(source.watchForAppearance(context) { appeared = true })
        defer { source.stopWatching() }
        try logind.setDisplay(session)
        recorder.runWhile(timeout: 3) { !appeared }
        #expect(appeared)
        try source.start(context)
        source.stop()
    }

    @Test func withoutLogindOnTheBusTheSourceIsUnavailable() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let recorder = try PresenceRecorder()
        let error = #expect(throws: PresenceUnavailable.self) {
            try LogindLockSource().start(recorder.context(environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.address]))
        }
        #expect(error?.reason == "systemd-logind (org.freedesktop.login1) is not on the system bus")
        let none = #expect(throws: PresenceUnavailable.self) {
            try LogindLockSource().start(
                recorder.context(environment: ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/nonexistent/system_bus"]))
        }
        #expect(
            none?.reason.hasPrefix("no system bus (connecting to the system bus at unix:path=/nonexistent/system_bus: ")
                == true, "\(String(describing: none))")
    }

    @Test func theSystemBusClosingLosesTheSource() throws {
        let (logind, _) = try Self.mockWithAutoSession()
        defer { logind.stop() }
        let recorder = try PresenceRecorder()
        let source = LogindLockSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        logind.bus.stop()
        recorder.runWhile(timeout: 3) { recorder.lostReasons.isEmpty }
        #expect(recorder.lostReasons.first == "the system bus closed the connection")
    }
}
