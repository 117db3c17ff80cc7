import Foundation
import SitbreakSystem
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The swayidle source against a real headless sway run as a non-root user, with the real
/// swayidle, in a real ``EventLoop`` (issue 4: "Wayland: headless sway as a non-root user with
/// swayidle; `swaymsg seat - cursor move` is input"). The source runs in the test process (root
/// in CI), which may connect to the user's compositor socket.
@Suite(.serialized, .tags(.fixture, .sway), .needs(.sway)) struct SwayidleSourceTests {
    static let second: Int64 = 1_000_000_000
    static let millisecond: Int64 = 1_000_000

    @Test func idleIsBackDatedToTheLastInputAndInputIsActiveAtOnce() throws {
        let sway = try HeadlessSway()
        let recorder = try PresenceRecorder()
        let source = SwayidleSource()
        try source.start(
            recorder.context(idleThresholdNanoseconds: 2 * Self.second, environment: sway.clientEnvironment))
        defer { source.stop() }
        #expect(recorder.words == ["active"], "swayidle says nothing at start: the source assumes the person is there")
        #expect(source.description.contains("on the Wayland display \(sway.socketPath), idle after 2 s"))

        // The last input: idle follows one threshold later, dated back to it.
        let moved = SystemClock.boottimeNanoseconds()
        try sway.moveCursor()
        let moveReturned = SystemClock.boottimeNanoseconds()
        #expect(recorder.run(until: 2, timeout: 6), "no idle within 6 s; logs: \(recorder.logLines)")
        #expect(recorder.words == ["active", "idle"])
        let idle = try #require(recorder.entries.last)
        guard case .idle(let lastInput) = idle.report else { throw TestFailure("not idle: \(idle.report)") }
        #expect(lastInput >= moved - 50 * Self.millisecond, "idle is dated to the cursor move, not before")
        #expect(lastInput <= moveReturned + 500 * Self.millisecond, "idle is dated to the cursor move, not later")
        #expect(idle.boottimeNanoseconds >= moved + 2 * Self.second - 50 * Self.millisecond)

        // Input while idle: active at once.
        let input = SystemClock.boottimeNanoseconds()
        try sway.moveCursor()
        #expect(recorder.run(until: 3, timeout: 3))
        #expect(recorder.words == ["active", "idle", "active"])
        let active = try #require(recorder.entries.last)
        #expect(active.boottimeNanoseconds - input < Self.second, "back within a second of the input")

        // Quiet again: idle again, once.
        #expect(recorder.run(until: 4, timeout: 6))
        recorder.runWhile(timeout: 1) { true }
        #expect(recorder.words == ["active", "idle", "active", "idle"])
        #expect(recorder.lostReasons == [])
    }

    @Test func afterAResumeTheNextInputIsActive() throws {
        let sway = try HeadlessSway()
        let recorder = try PresenceRecorder()
        let source = SwayidleSource()
        try source.start(
            recorder.context(idleThresholdNanoseconds: 30 * Self.second, environment: sway.clientEnvironment))
        defer { source.stop() }
        #expect(recorder.words == ["active"])

        // The machine woke (the daemon says so after logind's PrepareForSleep(false) or a clock
        // gap): the engine counts the person as away until the next input, which swayidle alone
        // reports only after its 30 s timeout.
        source.machineResumed()
        let probe = try #require(source.probeProcessID, "no swayidle waits for the first input")
        recorder.runWhile(timeout: 1.5) { true }
        #expect(recorder.words == ["active"], "nothing before the input")
        let input = SystemClock.boottimeNanoseconds()
        try sway.moveCursor()
        #expect(recorder.run(until: 2, timeout: 3))
        #expect(recorder.words == ["active", "active"])
        let active = try #require(recorder.entries.last)
        #expect(active.boottimeNanoseconds - input < Self.second, "active within a second of the input")
        #expect(source.probeProcessID == nil)
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(probe)"), "the probe is gone and reaped")

        // Later input is not reported again: one `active` per transition.
        try sway.moveCursor()
        recorder.runWhile(timeout: 1.5) { true }
        #expect(recorder.words == ["active", "active"])
        #expect(recorder.lostReasons == [])
    }

    @Test func aResumeWhileIdleGivesOneActiveAtTheInput() throws {
        let sway = try HeadlessSway()
        let recorder = try PresenceRecorder()
        let source = SwayidleSource()
        try source.start(
            recorder.context(idleThresholdNanoseconds: 2 * Self.second, environment: sway.clientEnvironment))
        defer { source.stop() }
        try sway.moveCursor()
        #expect(recorder.run(until: 2, timeout: 6))
        #expect(recorder.words == ["active", "idle"])
        source.machineResumed()
        recorder.runWhile(timeout: 1.5) { true }
        // Both swayidles see the input (the main one's timeout had passed): still one `active`.
        try sway.moveCursor()
        #expect(recorder.run(until: 3, timeout: 3))
        recorder.runWhile(timeout: 1) { true }
        #expect(recorder.words == ["active", "idle", "active"])
        #expect(source.probeProcessID == nil)
    }

    @Test func stopEndsTheProbeToo() throws {
        let sway = try HeadlessSway()
        let recorder = try PresenceRecorder()
        let source = SwayidleSource()
        try source.start(recorder.context(environment: sway.clientEnvironment))
        source.machineResumed()
        let probe = try #require(source.probeProcessID)
        source.stop()
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(probe)"))
        #expect(source.probeProcessID == nil)
        #expect(Self.pidfds(naming: probe).isEmpty)
    }

    @Test func theChainFallsBackWhenSwayDiesAndTakesSwayidleBackWhenItReturns() throws {
        let sway = try HeadlessSway()
        let recorder = try PresenceRecorder()
        var reports: [PresenceReport] = []
        var logs: [String] = []
        let chain = PresenceChain(
            chains: [(.idle, [SwayidleSource(), AlwaysPresentSource()])], loop: recorder.loop,
            idleThresholdNanoseconds: 2 * Self.second, environment: sway.clientEnvironment,
            report: { reports.append($0) }, log: { logs.append($0) })
        chain.start()
        defer { chain.stop() }
        func inUse() -> String? { chain.states.first?.sources.first(where: \.inUse)?.id }
        func swayidleDetail() -> String? { chain.states.first?.sources.first?.detail }
        #expect(inUse() == "swayidle", "\(chain.states)")
        #expect(reports == [.active])

        // The compositor crashes (once swayidle is past its setup, which a compositor that dies
        // under it fails differently): swayidle exits, the chain falls back and says why.
        recorder.runWhile(timeout: 1) { true }
        let socketPath = sway.socketPath
        sway.kill(SIGKILL)
        recorder.runWhile(timeout: 5) { inUse() == "swayidle" }
        #expect(inUse() == "always")
        #expect(
            swayidleDetail()?.hasPrefix("swayidle exited with status 0") == true, "\(swayidleDetail() ?? "nil")")
        #expect(logs.contains { $0.contains("idle: lost swayidle: swayidle exited with status 0") }, "\(logs)")

        // While the compositor is gone (its socket left behind), swayidle stays out.
        recorder.runWhile(timeout: 2) { true }
        #expect(inUse() == "always")

        // The compositor comes back at the same path: found by the back-off timer.
        try sway.start()
        #expect(sway.socketPath == socketPath)
        let restarted = SystemClock.boottimeNanoseconds()
        recorder.runWhile(timeout: 12) { inUse() != "swayidle" }
        #expect(inUse() == "swayidle", "\(chain.states); logs: \(logs)")
        #expect(SystemClock.boottimeNanoseconds() - restarted < 9 * Self.second)
        #expect(logs.contains("idle: swayidle may be available now"), "\(logs)")

        // And it works: idle after the threshold, active at input.
        let count = reports.count
        try sway.moveCursor()
        recorder.runWhile(timeout: 6) { reports.count < count + 1 }
        guard case .idle? = reports.last else { throw TestFailure("no idle after the restart: \(reports)") }
        try sway.moveCursor()
        recorder.runWhile(timeout: 3) { reports.count < count + 2 }
        #expect(reports.last == .active)
    }

    @Test func stopLeavesNoChildAndNoDescriptors() throws {
        let sway = try HeadlessSway()
        // A descriptor of ours without close-on-exec: the child must not get it.
        let marker = try TemporaryDirectory(prefix: "sitbreak-swayidle-marker")
        defer { marker.remove() }
        let markerPath = try marker.write("marker", "")
        let markerFD = open(markerPath, O_RDONLY)
        try #require(markerFD >= 0)
        defer { close(markerFD) }

        let recorder = try PresenceRecorder()
        let source = SwayidleSource()
        try source.start(recorder.context(environment: sway.clientEnvironment))
        let pid = try #require(source.childProcessID)
        let descriptors = Self.descriptors(of: "\(pid)")
        #expect(descriptors[0] == "/dev/null")
        let stdout = try #require(descriptors[1])
        let stderr = try #require(descriptors[2])
        #expect(stdout.hasPrefix("pipe:") && stderr.hasPrefix("pipe:") && stdout != stderr)
        #expect(!descriptors.values.contains(markerPath), "the child inherited a descriptor: \(descriptors)")
        #expect(Self.processGroup(pid) == pid, "swayidle runs in a process group of its own")
        // The test runner's threads block most signals (as the daemon blocks SIGTERM and ignores
        // SIGPIPE); swayidle must not inherit that.
        let signals = Self.signalState(pid)
        // swayidle blocks SIGINT, SIGTERM and SIGUSR1 itself (it reads them from a signalfd); glibc
        // keeps 32 and 33 for itself.
        let own: UInt64 = 1 << (2 - 1) | 1 << (15 - 1) | 1 << (10 - 1)
        func standard(_ name: String) -> UInt64? {
            signals[name].flatMap { UInt64($0, radix: 16) }.map { $0 & 0x7fff_ffff & ~own }
        }
        #expect(standard("SigBlk") == 0, "\(signals)")
        #expect(standard("SigIgn") == 0, "\(signals)")

        source.stop()
        // Status 0 once swayidle handles SIGTERM itself, the signal while it is still starting.
        #expect([.status(0), .signal(SIGTERM)].contains(source.lastExit), "swayidle ended on SIGTERM, not SIGKILL")
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"), "swayidle is gone and reaped, no zombie")
        let ours = Self.descriptors(of: "self")
        #expect(!ours.values.contains(stdout) && !ours.values.contains(stderr), "the pipes are closed")
        #expect(Self.pidfds(naming: pid).isEmpty, "the pidfd is closed")
        #expect(recorder.lostReasons == [], "stopping is not losing")
        source.stop()  // twice is harmless
    }

    @Test func anUnusableCompositorIsNotAvailableAndSaysWhy() throws {
        let scratch = try TemporaryDirectory(prefix: "sitbreak-swayidle-socket")
        defer { scratch.remove() }
        // A socket file nobody listens on: what a crashed compositor leaves.
        let stale = scratch.path + "/wayland-7"
        let bind = try ExternalCommand.run(
            "/usr/bin/python3", ["-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", stale],
            package: "python3")
        try #require(bind.status == 0, "\(bind.output)")
        let cases: [([String: String], String)] = [
            ([:], "WAYLAND_DISPLAY is not set (not a Wayland session)"),
            (
                ["WAYLAND_DISPLAY": scratch.path + "/wayland-9"],
                "no Wayland compositor: \(scratch.path)/wayland-9 does not exist"
            ),
            (
                ["WAYLAND_DISPLAY": "wayland-7", "XDG_RUNTIME_DIR": scratch.path],
                "no Wayland compositor listens on \(stale)"
            ),
        ]
        let recorder = try PresenceRecorder()
        for (environment, reason) in cases {
            let source = SwayidleSource()
            #expect(throws: PresenceUnavailable(reason)) {
                try source.start(recorder.context(environment: environment))
            }
            #expect(source.childProcessID == nil)
        }
        #expect(recorder.entries.isEmpty)
        let missing = SwayidleSource(executable: scratch.path + "/swayidle")
        #expect(throws: PresenceUnavailable("\(scratch.path)/swayidle is not an executable")) {
            try missing.start(recorder.context(environment: ["WAYLAND_DISPLAY": stale]))
        }
    }

    @Test func withoutWaylandThereIsNothingToWatchFor() throws {
        let recorder = try PresenceRecorder()
        let source = SwayidleSource()
        #expect(!source.watchForAppearance(recorder.context(environment: [:])) {})
        let scratch = try TemporaryDirectory(prefix: "sitbreak-swayidle-socket")
        defer { scratch.remove() }
        var appeared = false
        let watching = source.watchForAppearance(
            recorder.context(environment: ["WAYLAND_DISPLAY": scratch.path + "/wayland-5"])
        ) { appeared = true }
        #expect(watching, "a display that may come is watched for")
        recorder.runWhile(timeout: 1.5) { true }
        #expect(!appeared)
        source.stopWatching()
    }

    @Test func theCatalogKnowsSwayidle() {
        #expect(PresenceCatalog.makeSource("swayidle", for: .idle) is SwayidleSource)
        #expect(PresenceCatalog.makeSource("swayidle", for: .lock) == nil)
    }

    /// `/proc/PID/fd`: descriptor number → link target.
    static func descriptors(of process: String) -> [Int: String] {
        let directory = "/proc/\(process)/fd"
        var result: [Int: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            if let fd = Int(name),
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + name)
            {
                result[fd] = target
            }
        }
        return result
    }

    /// Descriptors of this process that are pidfds of `pid` (`Pid:` in their fdinfo).
    static func pidfds(naming pid: pid_t) -> [Int] {
        descriptors(of: "self").compactMap { fd, target in
            guard target == "anon_inode:[pidfd]",
                let info = try? String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8),
                info.split(separator: "\n").contains("Pid:\t\(pid)")
            else { return nil }
            return fd
        }
    }

    /// The `Sig…` lines of `/proc/PID/status`.
    static func signalState(_ pid: pid_t) -> [String: String] {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        var result: [String: String] = [:]
        for line in status.split(separator: "\n") where line.hasPrefix("Sig") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { result[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return result
    }

    /// The process group of `pid`, from `/proc/PID/stat`.
    static func processGroup(_ pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": state, ppid, pgrp.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 ? pid_t(fields[2]) : nil
    }
}
