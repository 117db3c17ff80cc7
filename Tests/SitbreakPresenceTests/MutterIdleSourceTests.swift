import Foundation
import SitbreakDBus
import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The Mutter source against python3-dbusmock's stand-in for Mutter's IdleMonitor on a private
/// session bus (issue 4: watch registration, `WatchFired`, re-arming, the name disappearing and
/// coming back).
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct MutterIdleSourceTests {
    static let second: Int64 = 1_000_000_000
    static let threshold = 2 * second

    /// A started source on a fresh bus with a Mutter mock idle for `idleMilliseconds`.
    final class Setup {
        let bus: PrivateBus
        var mock: DBusMock
        let recorder: PresenceRecorder
        let source = MutterIdleSource()

        init(idleMilliseconds: Int = 0, start: Bool = true) throws {
            bus = try PrivateBus()
            mock = try SessionBusMocks.mutter(on: bus, idleMilliseconds: idleMilliseconds)
            recorder = try PresenceRecorder()
            if start { try source.start(context) }
        }

        var context: PresenceContext {
            recorder.context(
                idleThresholdNanoseconds: MutterIdleSourceTests.threshold,
                environment: SessionBusMocks.environment(bus))
        }

        deinit {
            source.stop()
            mock.stop()
            bus.stop()
        }
    }

    @Test func idleAndActiveWatchesFireAndReArm() throws {
        let setup = try Setup()
        let (mock, recorder) = (setup.mock, setup.recorder)
        #expect(recorder.words == ["active"], "input within the threshold at start is active at once")
        #expect(mock.log.contains("AddIdleWatch 2000"), "the idle watch has the threshold in ms: \(mock.log)")
        let idleWatch = try #require(try SessionBusMocks.idleWatch(mock, milliseconds: 2000))
        #expect(try SessionBusMocks.watches(mock).count == 1, "no user-active watch while active")

        // The idle watch fires: idle, back-dated by the threshold, and a user-active watch.
        let fired = SystemClock.boottimeNanoseconds()
        try SessionBusMocks.fire(mock, idleWatch)
        #expect(recorder.run(until: 2, timeout: 3))
        #expect(recorder.words == ["active", "idle"])
        let idle = try #require(recorder.entries.last)
        guard case .idle(let lastInput) = idle.report else { throw TestFailure("not idle: \(idle.report)") }
        #expect(abs(lastInput - (idle.boottimeNanoseconds - Self.threshold)) < 1_000_000, "now − threshold")
        #expect(idle.boottimeNanoseconds - fired < Self.second, "WatchFired is reported at once")
        let firstActiveWatch = try #require(try SessionBusMocks.userActiveWatch(mock), "\(mock.log)")

        // Input: the user-active watch fires (and Mutter drops it): active.
        let typed = SystemClock.boottimeNanoseconds()
        try SessionBusMocks.input(mock)
        #expect(recorder.run(until: 3, timeout: 3))
        #expect(recorder.words == ["active", "idle", "active"])
        #expect(recorder.entries[2].boottimeNanoseconds - typed < Self.second)
        #expect(try SessionBusMocks.watches(mock) == [idleWatch: 2000], "the idle watch stays registered")

        // A second cycle works with the same idle watch and a new user-active watch.
        try SessionBusMocks.fire(mock, idleWatch)
        #expect(recorder.run(until: 4, timeout: 3))
        let secondActiveWatch = try #require(try SessionBusMocks.userActiveWatch(mock))
        #expect(secondActiveWatch != firstActiveWatch)
        try SessionBusMocks.fire(mock, secondActiveWatch)
        #expect(recorder.run(until: 5, timeout: 3))
        #expect(recorder.words == ["active", "idle", "active", "idle", "active"])
        #expect(SessionBusMocks.calls("AddIdleWatch", in: mock) == 1)
        #expect(SessionBusMocks.calls("AddUserActiveWatch", in: mock) == 2)
        #expect(SessionBusMocks.calls("GetIdletime", in: mock) == 1, "no polling")
    }

    @Test func firingsFromOtherSendersOrPathsAreIgnored() throws {
        let setup = try Setup()
        let (bus, mock, recorder) = (setup.bus, setup.mock, setup.recorder)
        let idleWatch = try #require(try SessionBusMocks.idleWatch(mock, milliseconds: 2000))
        // Another connection (busctl's) emitting on the right path and interface.
        try bus.busctl([
            "emit", SessionBusMocks.mutterPath, SessionBusMocks.mutterInterface, "WatchFired", "u", String(idleWatch),
        ])
        // The real owner emitting on another path.
        try mock.call(
            SessionBusMocks.mutterPath, SessionBusMocks.mockInterface, "EmitSignalDetailed",
            [
                "sssava{sv}", SessionBusMocks.mutterInterface, "WatchFired", "u", "1", "u", String(idleWatch), "1",
                "path", "o", "/org/gnome/Mutter/IdleMonitor/Other",
            ])
        recorder.run(until: 2, timeout: 1)
        #expect(recorder.words == ["active"], "forged firings reported")
        // The real firing still gets through.
        try SessionBusMocks.fire(mock, idleWatch)
        #expect(recorder.run(until: 2, timeout: 3))
        #expect(recorder.words == ["active", "idle"])
    }

    @Test func alreadyIdleAtStartWaitsForInputBeforeWatchingForIdle() throws {
        let setup = try Setup(idleMilliseconds: 60_000)
        let (mock, recorder) = (setup.mock, setup.recorder)
        #expect(recorder.words == [], "idle at start is absence until the first input, not an idle report")
        #expect(SessionBusMocks.calls("AddIdleWatch", in: mock) == 0, "an idle watch added now would fire at once")
        #expect(try SessionBusMocks.userActiveWatch(mock) != nil)
        try SessionBusMocks.input(mock)
        #expect(recorder.run(until: 1, timeout: 3))
        #expect(recorder.words == ["active"])
        #expect(try SessionBusMocks.watches(mock).values.sorted() == [2000], "the idle watch once active")
    }

    @Test func theNameLeavingIsLostAndItsReturnStartsTheSourceAgain() throws {
        let setup = try Setup()
        let (bus, recorder, source) = (setup.bus, setup.recorder, setup.source)
        #expect(source.description.hasPrefix("Mutter IdleMonitor watches (:1."), "\(source.description)")
        setup.mock.stop()
        #expect(recorder.runWhile(timeout: 3) { recorder.lostReasons.isEmpty })
        #expect(recorder.lostReasons == ["org.gnome.Mutter.IdleMonitor left the session bus"])

        // As the chain does: stop, then watch for the name to come back.
        source.stop()
        var appeared = false
        #expect(source.watchForAppearance(setup.context) { appeared = true })
        recorder.runWhile(timeout: 0.5) { !appeared }
        #expect(!appeared, "nothing appeared yet")
        setup.mock = try SessionBusMocks.mutter(on: bus)
        #expect(recorder.runWhile(timeout: 3) { !appeared })
        source.stopWatching()

        // Started again: fresh watches with the new owner, which fire as before.
        try source.start(setup.context)
        #expect(recorder.words == ["active", "active"])
        #expect(setup.mock.log.contains("AddIdleWatch 2000"), "\(setup.mock.log)")
        let idleWatch = try #require(try SessionBusMocks.idleWatch(setup.mock, milliseconds: 2000))
        try SessionBusMocks.fire(setup.mock, idleWatch)
        #expect(recorder.run(until: 3, timeout: 3))
        #expect(recorder.words == ["active", "active", "idle"])
    }

    @Test func anotherProcessTakingTheNameIsLostAndAppearsAtOnce() throws {
        let setup = try Setup()
        let (bus, recorder, source) = (setup.bus, setup.recorder, setup.source)
        // dbusmock replaces the owner: the name passes directly to the new process.
        let successor = try SessionBusMocks.mutter(on: bus)
        defer { successor.stop() }
        #expect(recorder.runWhile(timeout: 3) { recorder.lostReasons.isEmpty })
        #expect(recorder.lostReasons == ["org.gnome.Mutter.IdleMonitor passed to another process"])
        source.stop()
        #expect(SessionBusMocks.calls("RemoveWatch", in: setup.mock) == 1, "the old owner's watch is removed from it")
        #expect(SessionBusMocks.calls("RemoveWatch", in: successor) == 0)
        // The successor owns the name already: announced on the loop's next turn.
        var appeared = false
        #expect(source.watchForAppearance(setup.context) { appeared = true })
        #expect(!appeared, "not from inside watchForAppearance")
        #expect(recorder.runWhile(timeout: 1) { !appeared })
    }

    @Test func afterAResumeTheNextInputIsActiveAgain() throws {
        let setup = try Setup()
        let (mock, recorder, source) = (setup.mock, setup.recorder, setup.source)
        let idleWatch = try #require(try SessionBusMocks.idleWatch(mock, milliseconds: 2000))
        #expect(try SessionBusMocks.userActiveWatch(mock) == nil)
        source.machineResumed()
        #expect(try SessionBusMocks.userActiveWatch(mock) != nil, "the next input must be seen")
        // The idle watch armed before the sleep fires at once: no idle report of that old quiet.
        try SessionBusMocks.fire(mock, idleWatch)
        recorder.run(until: 2, timeout: 0.5)
        #expect(recorder.words == ["active"])
        try SessionBusMocks.input(mock)
        #expect(recorder.run(until: 2, timeout: 3))
        #expect(recorder.words == ["active", "active"])
    }

    @Test func stopRemovesTheWatches() throws {
        let setup = try Setup()
        let idleWatch = try #require(try SessionBusMocks.idleWatch(setup.mock, milliseconds: 2000))
        try SessionBusMocks.fire(setup.mock, idleWatch)
        #expect(setup.recorder.run(until: 2, timeout: 3))
        #expect(try SessionBusMocks.watches(setup.mock).count == 2)
        setup.source.stop()
        #expect(try SessionBusMocks.watches(setup.mock).isEmpty)
        // Nothing is reported after stop.
        try SessionBusMocks.input(setup.mock)
        setup.recorder.run(until: 3, timeout: 0.5)
        #expect(setup.recorder.words == ["active", "idle"])
    }

    /// What ends the wait of a source that found no Mutter.
    enum WaitEnd: CaseIterable, Sendable {
        /// Mutter takes its name.
        case mutterAppears
        /// The session bus closes the connection: the watch's matches die with it, so the chain
        /// must retry the source rather than wait on.
        case sessionBusCloses
    }

    @Test(arguments: WaitEnd.allCases)
    func noMutterIsUnavailableUntilItAppearsOrTheBusCloses(_ end: WaitEnd) throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let recorder = try PresenceRecorder()
        let context = recorder.context(
            idleThresholdNanoseconds: Self.threshold, environment: SessionBusMocks.environment(bus))
        let source = MutterIdleSource()
        let error = #expect(throws: PresenceUnavailable.self) { try source.start(context) }
        #expect(error?.reason == "org.gnome.Mutter.IdleMonitor is not on the session bus")
        var appeared = false
        #expect(source.watchForAppearance(context) { appeared = true })
        defer { source.stopWatching() }
        let mock = end == .mutterAppears ? try SessionBusMocks.mutter(on: bus) : nil
        defer { mock?.stop() }
        if end == .sessionBusCloses { bus.stop() }
        #expect(recorder.runWhile(timeout: 3) { !appeared })
    }

    @Test func noSessionBusIsUnavailable() throws {
        let recorder = try PresenceRecorder()
        let error = #expect(throws: PresenceUnavailable.self) {
            try MutterIdleSource().start(recorder.context(environment: [:]))
        }
        #expect(error?.reason.contains("no session bus") == true, "\(String(describing: error))")
    }
}
