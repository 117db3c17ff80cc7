import CLinux
import Glibc
import SitbreakConfig
import SitbreakEngine
import SitbreakProtocol
import SitbreakSystem

/// Runs the `[hooks]` commands: for an event whose type has one, the command (no shell) with the
/// event in its environment, at most ``HookPreferences/maxRunning`` at once, killed after
/// ``HookPreferences/timeoutSeconds``, always reaped (its pidfd in the loop: no SIGCHLD), and its
/// output logged line by line with the hook named.
public final class HookRunner {
    /// The settings in force (replaced on reload; running hooks keep their own timeout).
    public var preferences: HookPreferences
    private unowned let loop: EventLoop
    private let log: (String) -> Void
    private var running: [Int32: RunningHook] = [:]

    /// The most output logged per hook; the rest is read and counted, not logged, so a hook that
    /// prints megabytes neither fills the journal nor blocks on a full pipe.
    public static let loggedOutputLimit = 16 * 1024

    /// Creates a runner on `loop`.
    public init(loop: EventLoop, preferences: HookPreferences, log: @escaping (String) -> Void) throws(SystemError) {
        self.loop = loop
        self.preferences = preferences
        self.log = log
    }

    /// How many hooks run now.
    public var runningCount: Int { running.count }

    /// Runs the hook of the event on `line` (a JSON line of the stream), if its type has one.
    public func run(line: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes: line), let name = value["event"]?.stringValue,
            let type = EventType(name: name), let argv = preferences.commands[type], let program = argv.first
        else { return }
        let label = "hook \(name)"
        guard running.count < preferences.maxRunning else {
            log("\(label): not run, \(running.count) hooks are still running (max_running = \(preferences.maxRunning))")
            return
        }
        guard let path = Self.resolve(program, path: ProcessEnvironment.current()["PATH"] ?? "/usr/bin:/bin") else {
            log("\(label): cannot run \(program): no such program (looked in PATH)")
            return
        }
        let environment = Self.environment(event: value, line: line, base: ProcessEnvironment.current())
        var child = sitbreak_child()
        let result = withCStrings(argv) { arguments in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                sitbreak_spawn(path, arguments, envp, &child)
            }
        }
        guard result == 0 else {
            log("\(label): cannot run \(path): \(String(cString: strerror(-result)))")
            return
        }
        do {
            let hook = try RunningHook(child: child, label: label, loop: loop, runner: self)
            running[child.pid] = hook
            hook.timer?.arm(after: preferences.timeoutSeconds * 1_000_000_000)
        } catch {
            log("\(label): cannot watch pid \(child.pid): \(error)")
            kill(child.pid, SIGKILL)
            var code: Int32 = 0
            var signal: Int32 = 0
            _ = sitbreak_child_reap(child.pid, 1, &code, &signal)
            close(child.pidfd)
            close(child.stdout_fd)
            close(child.stderr_fd)
        }
    }

    /// The environment of a hook: the process's own, plus `SITBREAK_JSON` (the line) and
    /// `SITBREAK_<MEMBER>` for every member of the event (`SITBREAK_EVENT`, `SITBREAK_KIND`,
    /// `SITBREAK_SITTING_S`, …; lists comma-separated), derived from the event, not listed here.
    public static func environment(event: JSONValue, line: [UInt8], base: [String: String]) -> [String: String] {
        var environment = base.filter { !$0.key.hasPrefix("SITBREAK_") }
        if case .object(let members) = event {
            for (name, value) in members {
                environment["SITBREAK_" + name.uppercased()] = plainText(value)
            }
        }
        environment["SITBREAK_JSON"] = String(decoding: line, as: UTF8.self)
        return environment
    }

    private static func plainText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .array(let items): items.map(plainText).joined(separator: ",")
        case .null: ""
        default: value.serialized
        }
    }

    /// `program` itself when it names a path, else the first executable of that name in `path`.
    static func resolve(_ program: String, path: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    fileprivate func ended(_ hook: RunningHook, exit: String?) {
        running[hook.pid] = nil
        if let exit { log("\(hook.label)[\(hook.pid)]: \(exit)") }
    }

    fileprivate func output(_ hook: RunningHook, _ line: String) {
        log("\(hook.label)[\(hook.pid)]: \(line)")
    }
}

/// One hook process: the one owner of its pid, pidfd, output pipes and timeout timer.
private final class RunningHook {
    let pid: pid_t
    let label: String
    private let pidfd: Int32
    private var outputs: [Int32]
    private var pending: [Int32: [UInt8]] = [:]
    private var logged = 0
    private var dropped = 0
    private var timedOut = false
    var timer: LoopTimer?
    private unowned let loop: EventLoop
    private unowned let runner: HookRunner

    init(child: sitbreak_child, label: String, loop: EventLoop, runner: HookRunner) throws(SystemError) {
        pid = child.pid
        pidfd = child.pidfd
        outputs = [child.stdout_fd, child.stderr_fd]
        self.label = label
        self.loop = loop
        self.runner = runner
        timer = try LoopTimer(loop: loop) { [unowned self] in self.timeout() }
        try loop.add(pidfd) { [unowned self] _ in self.exited() }
        for fd in outputs {
            try loop.add(fd) { [unowned self] _ in self.drain(fd) }
        }
    }

    private func timeout() {
        timedOut = true
        // The hook runs in a process group of its own: its children go with it.
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
    }

    private func drain(_ fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n > 0 {
                take(fd, chunk[0..<n])
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n == 0 {
                finish(fd)
            }
            return
        }
    }

    private func take(_ fd: Int32, _ bytes: ArraySlice<UInt8>) {
        var buffer = pending[fd, default: []]
        for byte in bytes {
            if byte == 0x0A {
                emit(buffer)
                buffer.removeAll(keepingCapacity: true)
            } else if buffer.count < 4096 {
                buffer.append(byte)
            }
        }
        pending[fd] = buffer
    }

    private func emit(_ line: [UInt8]) {
        if logged < HookRunner.loggedOutputLimit {
            logged += line.count + 1
            runner.output(self, String(decoding: line, as: UTF8.self))
        } else {
            dropped += line.count + 1
        }
    }

    private func finish(_ fd: Int32) {
        if let rest = pending.removeValue(forKey: fd), !rest.isEmpty { emit(rest) }
        loop.remove(fd)
        close(fd)
        outputs.removeAll { $0 == fd }
    }

    private func exited() {
        for fd in outputs {
            drain(fd)
        }
        for fd in outputs { finish(fd) }
        var code: Int32 = 0
        var signal: Int32 = 0
        let reaped = sitbreak_child_reap(pid, 1, &code, &signal)
        loop.remove(pidfd)
        close(pidfd)
        timer = nil
        var exit: String? = nil
        if timedOut {
            exit = "timed out after \(runner.preferences.timeoutSeconds) s; killed"
        } else if reaped == 1, signal != 0 {
            exit = "killed by signal \(signal)"
        } else if reaped == 1, code != 0 {
            exit = "exited with status \(code)"
        }
        if dropped > 0 {
            runner.output(self, "\(dropped) more bytes of output not logged")
        }
        runner.ended(self, exit: exit)
    }
}

/// Calls `body` with a NULL-terminated `char *[]` of `strings`, valid only during the call.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
