import CLinux
import Foundation
import SitbreakEngine
import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakDaemon

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

    /// Collects deliveries with the wall-clock time of each.
    final class Deliveries {
        var presences: [Presence] = []
        var times: [Int64] = []
        func record(_ presence: Presence) {
            presences.append(presence)
            times.append(SystemClock.realtimeNanoseconds())
        }
    }

    /// Runs `loop` until `count` deliveries have come or `timeout` seconds passed, using the
    /// loop's own (CLOCK_BOOTTIME) timer as the test's deadline.
    static func run(_ loop: EventLoop, until deliveries: Deliveries, count: Int, timeout: Int64 = 6) {
        var expired = false
        loop.setTimer(boottimeNanoseconds: SystemClock.boottimeNanoseconds() + timeout * 1_000_000_000) {
            expired = true
        }
        while deliveries.presences.count < count && !expired {
            guard loop.runOnce() else { break }
        }
        loop.setTimer(boottimeNanoseconds: nil) {}
    }

    static let second: Int64 = 1_000_000_000

    @Test func idleThenActiveFollowTheTerminalsAccessTime() throws {
        let terminal = try PseudoTerminal()
        let loop = try EventLoop()
        let deliveries = Deliveries()
        // Idle for an hour before the source starts: nothing to report until input.
        try terminal.touchAccess("1 hour ago")
        // 2 s idle, a look every 1 s while idle: input just after a look is still 1 s from idle
        // when seen, which leaves room for the loop not running while `touch` runs.
        let source = TerminalIdleSource(path: terminal.path, thresholdNanoseconds: 2 * Self.second)
        try source.start(loop: loop, deliver: deliveries.record)
        defer { source.stop() }
        #expect(deliveries.presences == [], "an idle terminal at start is absence, not input")

        // Input: seen at the next look, at most one recheck (1 s) later.
        let typed = SystemClock.realtimeNanoseconds()
        try terminal.touchAccess()
        Self.run(loop, until: deliveries, count: 1)
        #expect(deliveries.presences == [.active])
        #expect(deliveries.times.last.map { $0 - typed < 2 * Self.second } == true)

        // No more input: idle one threshold after the access time, not before.
        let accessTime = try #require(FileStatus.accessTimeNanoseconds(terminal.path))
        Self.run(loop, until: deliveries, count: 2)
        #expect(deliveries.presences == [.active, .idle])
        let idleAt = try #require(deliveries.times.last)
        #expect(idleAt >= accessTime + 2 * Self.second)
        #expect(idleAt < accessTime + 3 * Self.second)

        // Input again: active.
        try terminal.touchAccess()
        Self.run(loop, until: deliveries, count: 3)
        #expect(deliveries.presences == [.active, .idle, .active])

        // The access time set into the past while active: idle at the look already armed.
        try terminal.touchAccess("10 minutes ago")
        Self.run(loop, until: deliveries, count: 4)
        #expect(deliveries.presences == [.active, .idle, .active, .idle])

        // Nothing else happens while idle and untouched.
        Self.run(loop, until: deliveries, count: 5, timeout: 3)
        #expect(deliveries.presences == [.active, .idle, .active, .idle])
    }

    @Test func recentInputAtStartIsActiveAtOnce() throws {
        let terminal = try PseudoTerminal()
        let loop = try EventLoop()
        let deliveries = Deliveries()
        try terminal.touchAccess()
        let source = TerminalIdleSource(path: terminal.path, thresholdNanoseconds: 2 * Self.second)
        try source.start(loop: loop, deliver: deliveries.record)
        defer { source.stop() }
        #expect(deliveries.presences == [.active])
        Self.run(loop, until: deliveries, count: 2)
        #expect(deliveries.presences == [.active, .idle])
    }

    @Test func stopReleasesTheTimer() throws {
        let terminal = try PseudoTerminal()
        let loop = try EventLoop()
        let deliveries = Deliveries()
        try terminal.touchAccess()
        let source = TerminalIdleSource(path: terminal.path, thresholdNanoseconds: Self.second)
        try source.start(loop: loop, deliver: deliveries.record)
        #expect(deliveries.presences == [.active])
        source.stop()
        // Without the source, only the test's deadline wakes the loop.
        Self.run(loop, until: deliveries, count: 2, timeout: 2)
        #expect(deliveries.presences == [.active])
    }

    @Test func aMissingTerminalIsNotAvailable() {
        let source = TerminalIdleSource(path: "/dev/pts/does-not-exist", thresholdNanoseconds: Self.second)
        #expect(throws: DaemonError.self) {
            try source.start(loop: try EventLoop()) { _ in }
        }
    }

    @Test func theNameSaysWhichTerminal() {
        let source = TerminalIdleSource(path: "/dev/pts/7", thresholdNanoseconds: Self.second)
        #expect(source.name == "terminal access time (/dev/pts/7)")
    }
}
