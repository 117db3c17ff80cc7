import CPseudoTerminal
import Foundation
import SitbreakEngine
import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakPresence

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The terminal source against a real pseudo-terminal, its access time set with `touch -a`, in
/// a real ``EventLoop`` (issue 4: "Terminal access time through a pseudo-terminal and touch -a").
@Suite(.serialized) struct TerminalIdleSourceTests {
    /// A pseudo-terminal pair; the slave device exists while the master is open.
    final class PseudoTerminal {
        let master: Int32
        let path: String

        init() throws {
            var name = [CChar](repeating: 0, count: 128)
            let fd = sitbreak_open_pseudo_terminal(&name, name.count)
            guard fd >= 0 else { throw TestFailure("opening a pseudo-terminal failed: errno \(-fd)") }
            master = fd
            path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        deinit { close(master) }

        /// Sets the device's access time with coreutils `touch -a` (`date` as `touch -d` takes it).
        func touchAccess(_ date: String? = nil) throws {
            let result = try ExternalCommand.run(
                "/usr/bin/touch", ["-a"] + (date.map { ["-d", $0] } ?? []) + [path], package: "coreutils")
            guard result.status == 0 else { throw TestFailure("touch: \(result.output)") }
        }
    }

    static let second: Int64 = 1_000_000_000

    @Test func idleThenActiveFollowTheTerminalsAccessTime() throws {
        let terminal = try PseudoTerminal()
        let recorder = try PresenceRecorder()
        // Idle for an hour before the source starts: nothing to report until input.
        try terminal.touchAccess("1 hour ago")
        // 2 s idle, a look every 1 s while idle: input just after a look is still 1 s from idle
        // when seen, which leaves room for the loop not running while `touch` runs.
        let source = TerminalIdleSource(path: terminal.path)
        try source.start(recorder.context(idleThresholdNanoseconds: 2 * Self.second))
        defer { source.stop() }
        #expect(recorder.words == [], "an idle terminal at start is absence, not input")

        // Input: seen at the next look, at most one recheck (1 s) later.
        let typed = SystemClock.boottimeNanoseconds()
        try terminal.touchAccess()
        recorder.run(until: 1)
        #expect(recorder.words == ["active"])
        #expect(recorder.entries.last.map { $0.boottimeNanoseconds - typed < 2 * Self.second } == true)

        // No more input: idle one threshold after the access time, not before, and back-dated to
        // the access time.
        let accessTime = try #require(FileStatus.accessTimeNanoseconds(terminal.path))
        let accessBoottime = accessTime - (SystemClock.realtimeNanoseconds() - SystemClock.boottimeNanoseconds())
        recorder.run(until: 2)
        #expect(recorder.words == ["active", "idle"])
        let idle = try #require(recorder.entries.last)
        #expect(idle.boottimeNanoseconds >= accessBoottime + 2 * Self.second - 10_000_000)
        #expect(idle.boottimeNanoseconds < accessBoottime + 3 * Self.second)
        guard case .idle(let lastInput) = idle.report else { throw TestFailure("not idle: \(idle.report)") }
        #expect(abs(lastInput - accessBoottime) < 10_000_000, "idle is back-dated to the access time")

        // Input again: active.
        try terminal.touchAccess()
        recorder.run(until: 3)
        #expect(recorder.words == ["active", "idle", "active"])

        // The access time set into the past while active: idle at the look already armed.
        try terminal.touchAccess("10 minutes ago")
        recorder.run(until: 4)
        #expect(recorder.words == ["active", "idle", "active", "idle"])

        // Nothing else happens while idle and untouched.
        recorder.run(until: 5, timeout: 3)
        #expect(recorder.words == ["active", "idle", "active", "idle"])
    }

    @Test func recentInputAtStartIsActiveAtOnce() throws {
        let terminal = try PseudoTerminal()
        let recorder = try PresenceRecorder()
        try terminal.touchAccess()
        let source = TerminalIdleSource(path: terminal.path)
        try source.start(recorder.context(idleThresholdNanoseconds: 2 * Self.second))
        defer { source.stop() }
        #expect(recorder.words == ["active"])
        recorder.run(until: 2)
        #expect(recorder.words == ["active", "idle"])
    }

    @Test func stopReleasesTheTimer() throws {
        let terminal = try PseudoTerminal()
        let recorder = try PresenceRecorder()
        try terminal.touchAccess()
        let source = TerminalIdleSource(path: terminal.path)
        try source.start(recorder.context(idleThresholdNanoseconds: Self.second))
        #expect(recorder.words == ["active"])
        source.stop()
        // Without the source, only the test's deadline wakes the loop.
        recorder.run(until: 2, timeout: 2)
        #expect(recorder.words == ["active"])
    }

    @Test func aMissingTerminalIsNotAvailable() throws {
        let source = TerminalIdleSource(path: "/dev/pts/does-not-exist")
        let recorder = try PresenceRecorder()
        #expect(throws: PresenceUnavailable.self) {
            try source.start(recorder.context())
        }
    }

    @Test func theNameSaysWhichTerminal() {
        let source = TerminalIdleSource(path: "/dev/pts/7")
        #expect(source.description == "terminal access time (/dev/pts/7)")
    }
}
