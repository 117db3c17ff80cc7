import Foundation
import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The screen-saver lock source against python3-dbusmock on a private session bus (issue 4:
/// `org.freedesktop.ScreenSaver` / `org.gnome.ScreenSaver` `ActiveChanged`): dbusmock's own
/// `gnome_screensaver` template for gnome-shell, the tests' template for KDE's screen locker and
/// GNOME's proxy.
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct ScreenSaverLockSourceTests {
    static let second: Int64 = 1_000_000_000

    /// Which service, and how to lock it.
    struct Service: CustomTestStringConvertible, Sendable {
        var name: String
        var template: String
        var parameters: String?
        var path: String
        var interface: String
        var lock: String
        var expectedPath: String
        var testDescription: String
    }

    static let services = [
        Service(
            name: "org.gnome.ScreenSaver", template: "gnome_screensaver", parameters: nil,
            path: "/org/gnome/ScreenSaver", interface: "org.gnome.ScreenSaver", lock: "SetActive",
            expectedPath: "/org/gnome/ScreenSaver", testDescription: "gnome-shell"),
        Service(
            name: "org.freedesktop.ScreenSaver",
            template: SessionBusMocks.directory + "/freedesktop_screensaver.py", parameters: nil,
            path: "/ScreenSaver", interface: "org.freedesktop.DBus.Mock", lock: "SetLocked",
            expectedPath: "/org/freedesktop/ScreenSaver", testDescription: "KDE (both paths, each signal twice)"),
        Service(
            name: "org.freedesktop.ScreenSaver",
            template: SessionBusMocks.directory + "/freedesktop_screensaver.py",
            parameters: #"{"paths": ["/ScreenSaver"]}"#,
            path: "/ScreenSaver", interface: "org.freedesktop.DBus.Mock", lock: "SetLocked",
            expectedPath: "/ScreenSaver", testDescription: "freedesktop at /ScreenSaver only"),
    ]

    static func context(_ recorder: PresenceRecorder, _ bus: PrivateBus) -> PresenceContext {
        recorder.context(environment: SessionBusMocks.environment(bus))
    }

    @Test(arguments: services) func activeChangedLocksAndUnlocksAtOnce(_ service: Service) throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try DBusMock(
            bus: bus, template: service.template, name: service.name, system: false, parameters: service.parameters)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let source = ScreenSaverLockSource()
        try source.start(Self.context(recorder, bus))
        defer { source.stop() }
        #expect(recorder.words == [], "unlocked at start: nothing to report")
        #expect(source.description.hasPrefix("\(service.name) ActiveChanged on \(service.expectedPath) (:1."))

        let locked = SystemClock.boottimeNanoseconds()
        try mock.call(service.path, service.interface, service.lock, ["b", "true"])
        #expect(recorder.run(until: 1, timeout: 3))
        #expect(recorder.words == ["lock"])
        #expect(recorder.entries[0].boottimeNanoseconds - locked < Self.second, "lock at once")

        let unlocked = SystemClock.boottimeNanoseconds()
        try mock.call(service.path, service.interface, service.lock, ["b", "false"])
        #expect(recorder.run(until: 2, timeout: 3))
        #expect(recorder.entries[1].boottimeNanoseconds - unlocked < Self.second, "unlock at once")
        // A signal relayed on a second path is one change, not two.
        recorder.run(until: 3, timeout: 0.5)
        #expect(recorder.words == ["lock", "unlock"])
    }

    @Test func lockedAtStartIsReportedAtOnce() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try SessionBusMocks.start(
            "freedesktop_screensaver.py", name: "org.freedesktop.ScreenSaver", on: bus,
            parameters: #"{"active": true}"#)
        defer { mock.stop() }
        let recorder = try PresenceRecorder()
        let source = ScreenSaverLockSource()
        try source.start(Self.context(recorder, bus))
        defer { source.stop() }
        #expect(recorder.words == ["lock"])
    }

    @Test func gnomeShellIsPreferredToTheFreedesktopName() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let kde = try SessionBusMocks.start("freedesktop_screensaver.py", name: "org.freedesktop.ScreenSaver", on: bus)
        defer { kde.stop() }
        let gnome = try DBusMock(bus: bus, template: "gnome_screensaver", name: "org.gnome.ScreenSaver", system: false)
        defer { gnome.stop() }
        let recorder = try PresenceRecorder()
        let source = ScreenSaverLockSource()
        try source.start(Self.context(recorder, bus))
        defer { source.stop() }
        #expect(source.description.hasPrefix("org.gnome.ScreenSaver ActiveChanged"))
        // The other service's signals are not listened to.
        try kde.call("/ScreenSaver", "org.freedesktop.DBus.Mock", "SetLocked", ["b", "true"])
        recorder.run(until: 1, timeout: 0.5)
        #expect(recorder.words == [])
    }

    @Test func gnomesFreedesktopProxyIsUnavailableAndGnomeShellAppearing() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let proxy = try SessionBusMocks.start(
            "freedesktop_screensaver.py", name: "org.freedesktop.ScreenSaver", on: bus, parameters: #"{"gnome": true}"#)
        defer { proxy.stop() }
        let recorder = try PresenceRecorder()
        let context = Self.context(recorder, bus)
        let source = ScreenSaverLockSource()
        let error = #expect(throws: PresenceUnavailable.self) { try source.start(context) }
        #expect(error?.reason.hasPrefix("org.freedesktop.ScreenSaver (:1.") == true, "\(String(describing: error))")
        #expect(
            error?.reason.hasSuffix(
                "does not answer GetActive: This method is not implemented (org.freedesktop.DBus.Error.NotSupported)")
                == true, "\(String(describing: error))")
        // The proxy that could not be used is not announced again; gnome-shell appearing is.
        var appeared = false
        #expect(source.watchForAppearance(context) { appeared = true })
        recorder.runWhile(timeout: 0.5) { !appeared }
        #expect(!appeared, "the refused proxy was announced as appearing")
        let gnome = try DBusMock(bus: bus, template: "gnome_screensaver", name: "org.gnome.ScreenSaver", system: false)
        defer { gnome.stop() }
        #expect(recorder.runWhile(timeout: 3) { !appeared })
        source.stopWatching()
        try source.start(context)
        source.stop()
    }

    @Test func theScreenSaverLeavingIsLost() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try DBusMock(bus: bus, template: "gnome_screensaver", name: "org.gnome.ScreenSaver", system: false)
        let recorder = try PresenceRecorder()
        let source = ScreenSaverLockSource()
        try source.start(Self.context(recorder, bus))
        defer { source.stop() }
        mock.stop()
        #expect(recorder.runWhile(timeout: 3) { recorder.lostReasons.isEmpty })
        #expect(recorder.lostReasons == ["org.gnome.ScreenSaver left the session bus"])
    }

    @Test func noScreenSaverIsUnavailable() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let recorder = try PresenceRecorder()
        let error = #expect(throws: PresenceUnavailable.self) {
            try ScreenSaverLockSource().start(Self.context(recorder, bus))
        }
        #expect(
            error?.reason == "none of org.gnome.ScreenSaver, org.freedesktop.ScreenSaver is on the session bus")
    }
}
