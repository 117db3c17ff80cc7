import Foundation
import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The x11 source against a real Xvfb, `xdotool mousemove` as input, in a real ``EventLoop``
/// (issue 4: "X11: Xvfb with -noreset; no input for longer than the threshold gives an away
/// event back-dated to the last input; xdotool mousemove gives back promptly; Xvfb without the
/// screen-saver extension makes the daemon fall back and say so").
@Suite(.serialized, .tags(.fixture, .xvfb), .needs(.xvfb)) struct X11IdleSourceTests {
    static let second: Int64 = 1_000_000_000

    /// Moves the pointer and returns the CLOCK_BOOTTIME instants just before and after xdotool.
    static func move(_ server: XvfbServer) throws -> (before: Int64, after: Int64) {
        let before = SystemClock.boottimeNanoseconds()
        try server.moveMouse()
        return (before, SystemClock.boottimeNanoseconds())
    }

    @Test(arguments: [true, false])
    func idleIsBackDatedToTheLastPointerMoveAndAMoveIsActiveAgain(usesAlarms: Bool) throws {
        let server = try XvfbServer()
        let recorder = try PresenceRecorder()
        let moved = try Self.move(server)
        let source = X11IdleSource(usesAlarms: usesAlarms)
        try source.start(recorder.context(idleThresholdNanoseconds: 2 * Self.second, environment: server.environment))
        defer { source.stop() }
        #expect(recorder.words == ["active"], "input just now is active at once")
        #expect(source.description.hasSuffix(usesAlarms ? "XSync IDLETIME alarms" : "polled (idle alarms turned off)"))

        // No more input: idle two seconds after the move, back-dated to it.
        #expect(recorder.run(until: 2, timeout: 5), "no idle: \(recorder.entries)")
        let idle = try #require(recorder.entries.last)
        guard case .idle(let lastInput) = idle.report else { throw TestFailure("not idle: \(idle.report)") }
        #expect(lastInput >= moved.before - 10_000_000 && lastInput <= moved.after + 10_000_000)
        #expect(idle.boottimeNanoseconds >= lastInput + 2 * Self.second - 5_000_000, "idle only after the threshold")
        // Pushed: within milliseconds of the crossing; polled: the look is armed for the crossing.
        #expect(idle.boottimeNanoseconds < lastInput + 2 * Self.second + 300_000_000)

        // A move while idle: active promptly. The loop runs while xdotool does.
        let start = SystemClock.boottimeNanoseconds()
        let xdotool = try server.startMovingMouse()
        #expect(recorder.run(until: 3, timeout: 5), "no active: \(recorder.entries)")
        xdotool.waitUntilExit()
        let back = try #require(recorder.entries.last)
        #expect(back.report == .active)
        let latency = back.boottimeNanoseconds - start
        // Pushed: the falling alarm (milliseconds, plus xdotool's own start-up); polled: the
        // recheck of a second.
        #expect(latency < (usesAlarms ? 1 : 2) * Self.second, "active \(latency / 1_000_000) ms after the move began")
        #expect(recorder.lostReasons == [])
    }

    /// After a resume the engine counts the person as away until the next input: the input
    /// before the sleep is not reported again, and the next move is `active` although the source
    /// had said `active` before (with a threshold of minutes, no alarm crossing would say so).
    @Test(arguments: [true, false])
    func afterAResumeTheNextMoveIsActive(usesAlarms: Bool) throws {
        let server = try XvfbServer()
        let recorder = try PresenceRecorder()
        try server.moveMouse()
        let source = X11IdleSource(usesAlarms: usesAlarms)
        try source.start(recorder.context(idleThresholdNanoseconds: 120 * Self.second, environment: server.environment))
        defer { source.stop() }
        #expect(recorder.words == ["active"])
        source.machineResumed()
        recorder.run(until: 2, timeout: 1.5)
        #expect(recorder.words == ["active"], "the move before the resume is not new input")
        let xdotool = try server.startMovingMouse()
        #expect(recorder.run(until: 2, timeout: 5), "no active after the resume: \(recorder.entries)")
        xdotool.waitUntilExit()
        #expect(recorder.words == ["active", "active"])
        // And the alarms are back at the threshold: a second move reports nothing new.
        try server.moveMouse()
        recorder.run(until: 3, timeout: 1.5)
        #expect(recorder.words == ["active", "active"])
    }

    @Test func idleAtStartReportsNothingUntilInput() throws {
        let server = try XvfbServer()
        let recorder = try PresenceRecorder()
        // One second idle with a threshold of half a second: already idle when the source starts.
        Thread.sleep(forTimeInterval: 1)
        let source = X11IdleSource()
        try source.start(recorder.context(idleThresholdNanoseconds: Self.second / 2, environment: server.environment))
        defer { source.stop() }
        recorder.run(until: 1, timeout: 1)
        #expect(recorder.words == [], "idle before the first input is absence, not input")
        let xdotool = try server.startMovingMouse()
        #expect(recorder.run(until: 1, timeout: 5))
        xdotool.waitUntilExit()
        #expect(recorder.words == ["active"])
        #expect(recorder.run(until: 2, timeout: 5))
        #expect(recorder.words == ["active", "idle"])
    }

    /// The daemon's loop is not woken while the person keeps moving the pointer nor while they
    /// are away: the alarms are the only wake-ups, one per crossing.
    @Test func alarmsWakeTheLoopOnlyAtTheCrossings() throws {
        let server = try XvfbServer()
        let recorder = try PresenceRecorder()
        var wakes = 0
        recorder.loop.onWake = { wakes += 1 }
        try server.moveMouse()
        let source = X11IdleSource()
        try source.start(recorder.context(idleThresholdNanoseconds: 2 * Self.second, environment: server.environment))
        defer { source.stop() }
        #expect(recorder.words == ["active"])

        // Active: a move every 0.4 s for 3 s, from another thread while the loop runs.
        let moved = DispatchSemaphore(value: 0)
        let mover = Thread {
            for _ in 0..<7 {
                try? server.moveMouse()
                Thread.sleep(forTimeInterval: 0.4)
            }
            moved.signal()
        }
        mover.start()
        recorder.runWhile(timeout: 3) { true }
        moved.wait()
        #expect(recorder.words == ["active"])
        #expect(wakes == 1, "only the test's own 3 s deadline woke the loop, not \(wakes - 1) more")

        // Idle: the crossing is one wake-up; then nothing while away.
        wakes = 0
        #expect(recorder.run(until: 2, timeout: 5))
        #expect(recorder.words == ["active", "idle"])
        #expect(wakes == 1, "the rising alarm alone")
        wakes = 0
        recorder.runWhile(timeout: 3) { true }
        #expect(wakes == 1, "only the test's deadline while away, not \(wakes - 1) more")
        #expect(recorder.words == ["active", "idle"])
    }

    @Test func withoutTheScreenSaverExtensionTheSourceIsUnavailable() throws {
        let server = try XvfbServer(arguments: ["-extension", "MIT-SCREEN-SAVER"])
        let recorder = try PresenceRecorder()
        let source = X11IdleSource()
        #expect(throws: PresenceUnavailable("the X server \(server.display) has no MIT-SCREEN-SAVER extension")) {
            try source.start(recorder.context(environment: server.environment))
        }
    }

    @Test(arguments: [
        ([:], "DISPLAY is not set"),
        (["DISPLAY": ""], "DISPLAY is not set"),
        (["DISPLAY": ":4097"], "cannot open the X display :4097 (no server there, or it refused the connection)"),
        (
            ["DISPLAY": ":4097", "WAYLAND_DISPLAY": "wayland-0"],
            "WAYLAND_DISPLAY is set: the X server :4097 is Xwayland, which sees only input to X11 windows"
        ),
    ])
    func unavailableWithAReason(environment: [String: String], reason: String) throws {
        let recorder = try PresenceRecorder()
        #expect(throws: PresenceUnavailable(reason)) {
            try X11IdleSource().start(recorder.context(environment: environment))
        }
    }

    @Test func theServerGoingAwayIsLost() throws {
        let server = try XvfbServer()
        let recorder = try PresenceRecorder()
        try server.moveMouse()
        let source = X11IdleSource()
        try source.start(recorder.context(idleThresholdNanoseconds: 60 * Self.second, environment: server.environment))
        defer { source.stop() }
        #expect(recorder.words == ["active"])
        let display = server.display
        server.stop()
        #expect(recorder.runWhile(timeout: 5) { recorder.lostReasons.isEmpty })
        #expect(recorder.lostReasons == ["the X server \(display) closed the connection"])
        // Stopped by itself: stopping again is harmless.
        source.stop()
    }

    @Test func theCatalogNamesIt() throws {
        let source = try #require(PresenceCatalog.makeSource("x11", for: .idle))
        #expect(source is X11IdleSource)
        #expect(source.id == "x11")
        #expect(source.question == .idle)
        #expect(PresenceCatalog.makeSource("x11", for: .lock) == nil)
    }
}
