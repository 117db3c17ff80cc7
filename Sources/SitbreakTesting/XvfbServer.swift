import Foundation

/// A real X server of its own, `Xvfb -noreset` (docs/testing.md §2), for tests of the x11 idle source;
/// `xdotool mousemove` is input on it.
///
/// Xvfb picks a free display number itself (`-displayfd`: it tries `:0`, `:1`, … and writes the
/// one it got once it accepts connections), so servers of tests running in parallel, or of
/// other test processes, never collide. `-noreset` keeps the idle time when the last client
/// disconnects; `-nolisten tcp` keeps it off the network. One owner: the server is stopped in
/// ``stop()`` or when the instance is released.
public final class XvfbServer: @unchecked Sendable {
    // Owned by one test; the Process object is only touched from that test's task.
    /// A server could not be started; the description says why and how to fix it.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// The display number (`5` for `:5`).
    public let number: Int
    /// The display name for `DISPLAY` (`:5`).
    public var display: String { ":\(number)" }
    /// `DISPLAY` for programs that should use this server.
    public var environment: [String: String] { ["DISPLAY": display] }
    /// The server's pid.
    public var pid: Int32 { process.processIdentifier }

    private let process: Process
    private let logPath: String
    private let scratch: TemporaryDirectory
    private var moves = 0

    static let xvfb = "/usr/bin/Xvfb"
    static let xdotool = "/usr/bin/xdotool"

    /// Starts `Xvfb -noreset -nolisten tcp` plus `arguments` (e.g. `["-extension",
    /// "MIT-SCREEN-SAVER"]`) and waits until it accepts connections; fails with a clear message
    /// when Xvfb or xdotool is missing or the server does not come up within `timeout` seconds.
    public init(arguments: [String] = [], timeout: Double = 15) throws {
        for (tool, package) in [(Self.xvfb, "xvfb"), (Self.xdotool, "xdotool")]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Failure(
                description: "\(tool) is missing: install it with `apt-get install -y \(package)` (make deps does)")
        }
        scratch = try TemporaryDirectory(prefix: "sitbreak-xvfb")
        logPath = scratch.path + "/xvfb.log"
        let displayFile = scratch.path + "/display"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        _ = FileManager.default.createFile(atPath: displayFile, contents: nil)
        process = Process()
        // Test threads block most signals, and children inherit the mask: an Xvfb started as is
        // would ignore SIGTERM. `env --default-signal` unblocks every signal before exec.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // -displayfd 1: Xvfb writes the display number it took to stdout once it listens.
        process.arguments =
            [
                "--default-signal", Self.xvfb, "-displayfd", "1", "-noreset", "-nolisten", "tcp", "-screen", "0",
                "640x480x24",
            ] + arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: displayFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let deadline = Date().addingTimeInterval(timeout)
        var found: Int?
        while found == nil {
            let text = (try? String(contentsOfFile: displayFile, encoding: .utf8)) ?? ""
            if text.hasSuffix("\n"), let number = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                found = number
                break
            }
            if !process.isRunning || Date() > deadline {
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                scratch.remove()
                throw Failure(
                    description: "Xvfb did not start within \(timeout) s"
                        + (log.isEmpty ? "" : "; it said:\n" + log.suffix(2000)))
            }
            usleep(10_000)
        }
        number = found!
    }

    deinit { stop() }

    /// What Xvfb wrote to stderr.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Whether the server still runs.
    public var isRunning: Bool { process.isRunning }

    /// Moves the pointer with `xdotool mousemove` (to a new place each time, so that it is a real
    /// motion) and waits for xdotool to finish: input on the server.
    public func moveMouse() throws {
        let result = try ExternalCommand.run(
            Self.xdotool, moveArguments(), environment: environment, package: "xdotool")
        guard result.status == 0 else {
            throw Failure(description: "xdotool mousemove on \(display) failed: \(result.output)")
        }
    }

    /// Starts `xdotool mousemove` without waiting for it (for a test that runs its loop
    /// meanwhile); returns the process, to wait for.
    public func startMovingMouse() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.xdotool)
        process.arguments = moveArguments()
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func moveArguments() -> [String] {
        moves += 1
        return ["mousemove", String(10 + (moves % 50) * 7), String(10 + (moves % 30) * 9)]
    }

    /// Ends the server (SIGTERM, then SIGKILL after 5 s); idempotent.
    public func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(5_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                // Killed, Xvfb leaves its lock and socket behind.
                try? FileManager.default.removeItem(atPath: "/tmp/.X\(number)-lock")
                try? FileManager.default.removeItem(atPath: "/tmp/.X11-unix/X\(number)")
            }
            process.waitUntilExit()
        }
        scratch.remove()
    }
}
