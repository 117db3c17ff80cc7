import Foundation
import SitbreakConfig
import SitbreakEngine
import SitbreakNotify
import SitbreakSystem
import SitbreakTesting
import Testing

/// `[hooks]` commands as real child processes in a real event loop: run with the event in their
/// environment, bounded in time and number, always reaped, their output logged.
@Suite(.serialized) final class HookRunnerTests {
    let loop: EventLoop
    let tick: LoopTimer
    let directory: TemporaryDirectory
    let logLines = LogLines()

    final class LogLines: @unchecked Sendable {
        var lines: [String] = []
        var text: String { lines.joined(separator: "\n") }
    }

    static let reminder = Event(
        time: Timestamp(secondsSinceEpoch: 1_796_000_000),
        body: .reminder(
            Event.Reminder(
                kind: "walk", nag: 1, sittingSeconds: 3000, covers: ["posture", "eyes"], message: "Time to walk.",
                suggestion: "Fetch water.")))

    init() throws {
        loop = try EventLoop()
        // Wakes the loop now and then, so a test's wait can end on its deadline.
        tick = try LoopTimer(loop: loop) {}
        directory = try TemporaryDirectory(prefix: "sitbreak-hooks")
    }

    deinit {
        directory.remove()
    }

    func runner(_ commands: [EventType: [String]], timeout: Seconds = 10, maxRunning: Int = 4) throws -> HookRunner {
        let lines = logLines
        return try HookRunner(
            loop: loop,
            preferences: HookPreferences(commands: commands, timeoutSeconds: timeout, maxRunning: maxRunning),
            log: { lines.lines.append($0) })
    }

    /// Turns the loop until `condition` holds or `timeout` seconds pass.
    func turn(timeout: Double = 10, until condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() && Date() < deadline {
            tick.arm(after: 50_000_000)
            _ = loop.runOnce()
        }
    }

    @Test func aHookRunsWithTheEventInItsEnvironment() throws {
        let out = directory.path + "/env"
        let runner = try runner([.reminder: ["/bin/sh", "-c", "env > \(out)"]])
        runner.run(line: Array(Self.reminder.jsonLine.utf8))
        #expect(runner.runningCount == 1)
        turn { runner.runningCount == 0 }
        let environment = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(environment.contains("SITBREAK_EVENT=reminder"))
        #expect(environment.contains("SITBREAK_KIND=walk"))
        #expect(environment.contains("SITBREAK_NAG=1"))
        #expect(environment.contains("SITBREAK_SITTING_S=3000"))
        #expect(environment.contains("SITBREAK_COVERS=posture,eyes"))
        #expect(environment.contains("SITBREAK_MESSAGE=Time to walk."))
        #expect(environment.contains("SITBREAK_TIME=" + Self.reminder.time.rfc3339))
        #expect(environment.contains("SITBREAK_JSON=" + Self.reminder.jsonLine))
        // Every field of the event is there: the variables are derived, not listed.
        for field in Self.reminder.fields {
            #expect(environment.contains { $0.hasPrefix("SITBREAK_" + field.name.uppercased() + "=") })
        }
    }

    @Test func anEventWithoutAHookRunsNothing() throws {
        let runner = try runner([.breakTaken: ["/bin/true"]])
        runner.run(line: Array(Self.reminder.jsonLine.utf8))
        #expect(runner.runningCount == 0)
    }

    @Test func aHookThatHangsIsKilledAtItsTimeoutAndReaped() throws {
        let runner = try runner([.reminder: ["/bin/sleep", "100"]], timeout: 1)
        let started = Date()
        runner.run(line: Array(Self.reminder.jsonLine.utf8))
        turn { runner.runningCount == 0 }
        #expect(runner.runningCount == 0)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(logLines.text.contains("hook reminder["))
        #expect(logLines.text.contains("timed out after 1 s; killed"))
        // Reaped: no zombie of that pid is left.
        let pid = try #require(logLines.lines.last.flatMap { Self.pid(in: $0) })
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func aMissingProgramIsAClearMessage() throws {
        let runner = try runner([.reminder: ["no-such-hook-program", "x"]])
        runner.run(line: Array(Self.reminder.jsonLine.utf8))
        #expect(runner.runningCount == 0)
        #expect(logLines.text == "hook reminder: cannot run no-such-hook-program: no such program (looked in PATH)")
    }

    @Test func outputIsLoggedWithTheHookNamedAndAFailingExitToo() throws {
        let runner = try runner([.reminder: ["/bin/sh", "-c", "echo hello; echo oops >&2; exit 3"]])
        runner.run(line: Array(Self.reminder.jsonLine.utf8))
        turn { runner.runningCount == 0 }
        #expect(logLines.lines.contains { $0.hasPrefix("hook reminder[") && $0.hasSuffix("]: hello") })
        #expect(logLines.lines.contains { $0.hasSuffix("]: oops") })
        #expect(logLines.lines.last?.hasSuffix("]: exited with status 3") == true)
    }

    @Test func megabytesOfOutputAreReadButOnlyTheStartIsLogged() throws {
        let runner = try runner([.reminder: ["/bin/sh", "-c", "yes 0123456789abcdef | head -c 4000000"]])
        runner.run(line: Array(Self.reminder.jsonLine.utf8))
        turn { runner.runningCount == 0 }
        #expect(runner.runningCount == 0, "the hook finished: its pipe never filled up")
        let logged = logLines.lines.filter { $0.hasSuffix("]: 0123456789abcdef") }.count
        #expect(logged > 100 && logged * 17 <= HookRunner.loggedOutputLimit + 17)
        #expect(logLines.text.contains("more bytes of output not logged"))
    }

    @Test func hooksBeyondMaxRunningAreNotRun() throws {
        let runner = try runner([.reminder: ["/bin/sleep", "1"]], maxRunning: 2)
        for _ in 0..<3 { runner.run(line: Array(Self.reminder.jsonLine.utf8)) }
        #expect(runner.runningCount == 2)
        #expect(logLines.text.contains("hook reminder: not run, 2 hooks are still running (max_running = 2)"))
        turn { runner.runningCount == 0 }
        #expect(runner.runningCount == 0)
    }

    static func pid(in line: String) -> Int32? {
        guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]") else { return nil }
        return Int32(line[line.index(after: open)..<close])
    }
}
