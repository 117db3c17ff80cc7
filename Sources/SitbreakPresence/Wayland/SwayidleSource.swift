import CLinux
import Glibc
import SitbreakSystem

/// Idle on wlroots compositors (sway, Hyprland, labwc, …) through `swayidle`, run as a supervised
/// child (docs/design.md §5): `swayidle -w timeout N 'echo idle' resume 'echo active'`, whose stdout
/// says when the compositor's idle timer fires and when input comes back. The compositor pushes
/// both (ext-idle-notify-v1 or KDE's idle protocol), so nothing polls.
///
/// - `idle` is reported back-dated by the timeout, since the compositor's timer started at the
///   last input (and not at all when that timer ran across a suspend: ``SwayidleClock``).
/// - At start it reports `active`: swayidle says nothing until the first timeout, and the source
///   starts when the daemon does, at login, or when the compositor came (back), with the person
///   at the machine. If they are in fact away, `idle` follows one timeout later, dated to the
///   start.
/// - After a resume the engine counts the person as away until the next input, which swayidle
///   does not report unless its timeout passed first; a second swayidle with a one-second timeout
///   runs from the resume to that input (``SwayidleLaunch/firstInputProbe``).
/// - The child's exit is learnt from a pidfd in the loop (no SIGCHLD handling); the source then
///   says it is lost, and while not in use looks for the compositor again with a back-off timer
///   (``SwayidleSupervision``), which covers compositor restarts.
public final class SwayidleSource: PresenceSource {
    public let id = "swayidle"
    public let question = PresenceQuestion.idle
    public var description: String {
        guard let launch, let child else { return "swayidle (not running)" }
        return
            "swayidle (pid \(child.pid)) on the Wayland display \(launch.display), idle after \(launch.timeoutSeconds) s"
    }

    private let executable: String?
    private var launch: SwayidleLaunch?
    private var child: SwayidleChild?
    private var context: PresenceContext?
    private weak var loop: EventLoop?
    private var stdoutLines = SwayidleOutput()
    private var stderrLines = SwayidleOutput()
    /// The last thing swayidle logged, for the reason of an exit.
    private var lastMessage: String?
    private var idle = false
    private var clock = SwayidleClock(boottime: 0, monotonic: 0)
    private var supervision = SwayidleSupervision()
    private var watchTimer: LoopTimer?
    /// From a resume to the next input: the swayidle that reports that input.
    private var probe: SwayidleChild?
    private var probeLines = SwayidleOutput()
    private var awaitingInputAfterResume = false

    /// Creates the source; `executable` is swayidle's path, nil to look in `PATH` and /usr/bin.
    public init(executable: String? = nil) {
        self.executable = executable
    }

    deinit {
        stop()
        stopWatching()
    }

    /// The running swayidle's process id, if any.
    var childProcessID: pid_t? { child?.pid }
    /// How the last swayidle ended.
    private(set) var lastExit: SwayidleChild.Exit?
    /// The process id of the swayidle waiting for the first input after a resume, if any.
    var probeProcessID: pid_t? { probe?.pid }

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        guard child == nil else { return }
        let launch = try SwayidleLaunch.make(
            environment: context.environment, thresholdNanoseconds: context.idleThresholdNanoseconds,
            executable: executable, isExecutable: Self.isExecutable)
        if let problem = Self.socketProblem(launch.socketPath) { throw PresenceUnavailable(problem) }
        let socket = Self.socketIdentity(launch.socketPath)
        let child = try SwayidleChild(launch)
        try Self.watch(
            child, in: context.loop, stdout: { [unowned self] in self.readStdout() },
            stderr: { [unowned self] in self.readStderr() }, exited: { [unowned self] in self.childExited() })
        self.launch = launch
        self.child = child
        self.context = context
        loop = context.loop
        stdoutLines = SwayidleOutput()
        stderrLines = SwayidleOutput()
        lastMessage = nil
        supervision.childStarted(at: SystemClock.boottimeNanoseconds(), socket: socket)
        idle = false
        awaitingInputAfterResume = false
        clock = SwayidleClock(
            boottime: SystemClock.boottimeNanoseconds(), monotonic: SystemClock.monotonicNanoseconds())
        context.report(.active)
    }

    public func stop() {
        endProbe()
        guard let child else { return }
        release(child)
        child.terminate()
        lastExit = child.exit
    }

    public func machineResumed() {
        guard child != nil, let launch, let loop else { return }
        awaitingInputAfterResume = true
        guard probe == nil else { return }
        do {
            let probe = try SwayidleChild(launch.firstInputProbe)
            try Self.watch(
                probe, in: loop, stdout: { [unowned self] in self.readProbe() },
                stderr: { [unowned self] in self.drainProbeStderr() }, exited: { [unowned self] in self.endProbe() })
            self.probe = probe
            probeLines = SwayidleOutput()
        } catch {
            // Then only the main swayidle's own `active` (after its timeout) ends the absence.
            context?.log("cannot watch for the first input after the resume: \(error.reason)")
        }
    }

    public func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
        // Without WAYLAND_DISPLAY or swayidle nothing can change while the daemon runs.
        guard
            let launch = try? SwayidleLaunch.make(
                environment: context.environment, thresholdNanoseconds: context.idleThresholdNanoseconds,
                executable: executable, isExecutable: Self.isExecutable)
        else { return false }
        stopWatching()
        let socketPath = launch.socketPath
        guard
            let timer = try? LoopTimer(
                loop: context.loop,
                handler: { [unowned self] in
                    if self.compositorMayWork(socketPath) {
                        appeared()
                    } else {
                        self.watchTimer?.arm(after: self.supervision.takeDelay())
                    }
                })
        else { return false }
        timer.arm(after: supervision.takeDelay())
        watchTimer = timer
        return true
    }

    public func stopWatching() {
        watchTimer = nil
    }

    // MARK: - The child

    private func readStdout() {
        guard let child else { return }
        let fd = child.stdoutFD
        guard let bytes = child.read(fd) else {
            loop?.remove(fd)
            child.closeOutput(fd)
            return
        }
        for line in stdoutLines.lines(from: bytes) {
            switch SwayidleOutput.event(line) {
            case .idle?:
                guard !idle, let launch else { continue }
                idle = true
                let timeout = Int64(launch.timeoutSeconds) * SwayidleSupervision.second
                guard
                    let lastInput = clock.lastInput(
                        boottime: SystemClock.boottimeNanoseconds(), monotonic: SystemClock.monotonicNanoseconds(),
                        timeout: timeout)
                else {
                    context?.log("idle after a suspend not reported: the person left before the machine slept")
                    continue
                }
                context?.report(.idle(lastInputBoottimeNanoseconds: lastInput))
            case .active?:
                guard idle || awaitingInputAfterResume else { continue }
                inputCame()
            case nil:
                break
            }
        }
    }

    /// Input after an `idle` or after a resume: `active`, once.
    private func inputCame() {
        idle = false
        awaitingInputAfterResume = false
        endProbe()
        clock.timerRestarted(boottime: SystemClock.boottimeNanoseconds(), monotonic: SystemClock.monotonicNanoseconds())
        context?.report(.active)
    }

    private func readStderr() {
        guard let child else { return }
        let fd = child.stderrFD
        guard let bytes = child.read(fd) else {
            loop?.remove(fd)
            child.closeOutput(fd)
            return
        }
        for line in stderrLines.lines(from: bytes) {
            if let message = SwayidleOutput.message(line) { lastMessage = message }
        }
    }

    private func childExited() {
        guard let child, let context else { return }
        // What it wrote before it ended still counts.
        if child.stdoutFD >= 0 { readStdout() }
        if child.stderrFD >= 0 { readStderr() }
        let exit = child.reap() ?? child.reap(blocking: true)
        let ran = supervision.childExited(at: SystemClock.boottimeNanoseconds())
        endProbe()
        release(child)
        child.terminate()
        lastExit = exit
        var reason = "swayidle \(exit?.description ?? "ended")"
        switch exit {
        case .status(0)?: reason += " (the compositor closed the connection, or swayidle was stopped)"
        default: if let lastMessage { reason += ": " + lastMessage }
        }
        context.log(
            "swayidle (pid \(child.pid)) \(exit?.description ?? "ended") after \(ran / SwayidleSupervision.second) s")
        context.lost(reason)
    }

    /// Unregisters the child's descriptors and forgets it; the caller terminates it.
    private func release(_ child: SwayidleChild) {
        for fd in [child.stdoutFD, child.stderrFD, child.pidfd] where fd >= 0 { loop?.remove(fd) }
        self.child = nil
        context = nil
    }

    /// Registers a child's descriptors with the loop, all or none.
    private static func watch(
        _ child: SwayidleChild, in loop: EventLoop, stdout: @escaping () -> Void, stderr: @escaping () -> Void,
        exited: @escaping () -> Void
    ) throws(PresenceUnavailable) {
        do {
            try loop.add(child.stdoutFD) { _ in stdout() }
            try loop.add(child.stderrFD) { _ in stderr() }
            try loop.add(child.pidfd) { _ in exited() }
        } catch {
            for fd in [child.stdoutFD, child.stderrFD, child.pidfd] { loop.remove(fd) }
            child.terminate()
            throw PresenceUnavailable("cannot watch swayidle: \(error)")
        }
    }

    // MARK: - The first input after a resume

    private func readProbe() {
        guard let probe else { return }
        guard let bytes = probe.read(probe.stdoutFD) else {
            endProbe()
            return
        }
        // Its `idle` (a second without input) says nothing new; its `active` is the input.
        if probeLines.lines(from: bytes).contains(where: { SwayidleOutput.event($0) == .active }),
            awaitingInputAfterResume
        {
            inputCame()
        }
    }

    private func drainProbeStderr() {
        guard let probe, probe.read(probe.stderrFD) == nil else { return }
        loop?.remove(probe.stderrFD)
        probe.closeOutput(probe.stderrFD)
    }

    /// Stops the probe (after the input, at stop, or when it ended by itself with its compositor,
    /// which the main swayidle reports).
    private func endProbe() {
        guard let probe else { return }
        for fd in [probe.stdoutFD, probe.stderrFD, probe.pidfd] where fd >= 0 { loop?.remove(fd) }
        self.probe = nil
        probe.terminate()
    }

    // MARK: - The compositor

    /// Whether a compositor listens at `path` and is not the one swayidle already failed on.
    private func compositorMayWork(_ path: String) -> Bool {
        guard let identity = Self.socketIdentity(path), supervision.mayTry(identity) else { return false }
        return Self.socketProblem(path) == nil
    }

    /// Why nothing usable listens at `path`, nil when something does.
    private static func socketProblem(_ path: String) -> String? {
        let result = sitbreak_unix_socket_probe(path)
        guard result != 0 else { return nil }
        return SwayidleLaunch.socketProblem(path: path, errno: -result, text: SystemError.reason(-result))
    }

    private static func socketIdentity(_ path: String) -> SwayidleSupervision.SocketIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return SwayidleSupervision.SocketIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
            changed: Int64(info.st_ctim.tv_sec) * SwayidleSupervision.second + Int64(info.st_ctim.tv_nsec))
    }

    private static func isExecutable(_ path: String) -> Bool {
        var info = stat()
        return access(path, X_OK) == 0 && stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
