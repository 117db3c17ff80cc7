import CLinux
import Glibc
import SitbreakConfig
import SitbreakEngine
import SitbreakPresence
import SitbreakProtocol
import SitbreakSystem
import SitbreakSystemd

/// `sitbreakd`: runs the engine against real time (docs/design.md §4).
///
/// One thread, one epoll loop: it sleeps until the engine's next deadline, the watchdog's next
/// ping, a client, or a signal. Every batch of work ends the same way: settle the engine at the
/// current instant, report its events (journal, subscribers), save the state if it changed,
/// refresh `STATUS=`, re-arm the timer.
public final class Daemon {
    /// The daemon's version, reported by `version` and `--version`.
    public static let version = ControlProtocol.softwareVersion

    let options: DaemonOptions
    let environment: [String: String]
    let log: any EventLog
    let notifier: ServiceNotifier
    let timeZone = GlibcTimeZone()
    let loop: EventLoop
    let store: StateStore
    private(set) var server: ControlServer!
    private var signalFD: Int32 = -1
    /// A pipe whose write end ``requestStop()`` uses from another thread (in-process tests).
    private var stopPipe: (read: Int32, write: Int32) = (-1, -1)

    var schedule: Schedule
    /// The `[presence]` table in use.
    private var presencePreferences: PresencePreferences
    /// Where the schedule came from: a path, or the built-in default.
    var configSource: String
    var engine: Engine
    /// The presence sources (docs/design.md §5); the socket's `presence` feed comes on top of them.
    private(set) var presence: PresenceChain!

    /// CLOCK_REALTIME − CLOCK_BOOTTIME at start: engine time is boot time shifted onto the
    /// calendar once, so a suspend or a wall-clock step never makes it jump or stall.
    private(set) var epochOffsetNanoseconds: Int64
    /// Notices wall-clock steps and time-zone changes.
    private var wallClock: WallClockWatcher?
    private var watchdogIntervalNanoseconds: Int64?
    private var nextWatchdogNanoseconds: Int64?
    private var lastStatusLine = ""
    private var stateChanged = false
    /// The open heartbeat file (see ``StateStore/beat(_:into:)``), or -1.
    private var heartbeatFD: Int32 = -1
    private var stopRequested = false
    /// The second line of suspend detection (docs/design.md §5), sampled at every wake-up.
    private var clockGaps = ClockGapDetector()

    /// Loads the configuration, restores the saved state, opens the control socket and tells
    /// systemd it is ready.
    public init(
        options: DaemonOptions, environment: [String: String], log: any EventLog,
        notifier: ServiceNotifier = ServiceNotifier(), limits: ControlServer.Limits = ControlServer.Limits()
    ) throws(DaemonError) {
        self.options = options
        self.environment = environment
        self.log = log
        self.notifier = notifier
        epochOffsetNanoseconds = SystemClock.realtimeNanoseconds() - SystemClock.boottimeNanoseconds()
        let loaded = try Self.loadConfiguration(options, environment)
        schedule = loaded.configuration.schedule
        presencePreferences = loaded.configuration.presence
        configSource = loaded.source
        let paths = try DaemonPaths.resolve(options, environment: environment)
        store = try StateStore(directory: paths.stateDirectory)
        do {
            loop = try EventLoop()
        } catch {
            throw .system(error)
        }
        engine = Engine(schedule: schedule, timeZone: timeZone)
        raiseFileLimit()
        try openSignals()
        try openStopPipe()
        if let activated = SocketActivation.listeningSockets().first {
            server = try ControlServer(listening: activated, loop: loop, limits: limits)
        } else if let socket = paths.socket {
            server = try ControlServer(path: socket, loop: loop, limits: limits)
        } else {
            throw .setup(
                "XDG_RUNTIME_DIR is not set (pam_systemd sets it) and no socket was passed; give --socket PATH")
        }
        server.onLine = { [unowned self] client, line in self.handle(line, from: client) }
        server.onLog = { [unowned self] message in self.log.log(.warning, message) }
        restoreState()
        heartbeatFD = store.openHeartbeat()
        store.beat(now(), into: heartbeatFD)
        _ = clockGaps.observe(Self.sampleClocks())
        do {
            wallClock = try WallClockWatcher(loop: loop) { [unowned self] change in self.wallClockChanged(change) }
        } catch {
            log.log(.warning, "wall-clock steps will go unnoticed: \(error)")
        }
        loop.onWake = { [unowned self] in self.noticeClockGap() }
        presence = makePresenceChain()
        presence.start()
        if let interval = notifier.watchdogPingIntervalMilliseconds {
            watchdogIntervalNanoseconds = interval * 1_000_000
            nextWatchdogNanoseconds = SystemClock.boottimeNanoseconds() + interval * 1_000_000
        }
        // Save at once: from now on a crash must find when the daemon was last known to run.
        stateChanged = true
        finishBatch()
        let socketText = server.ownedPath ?? "a socket passed by systemd"
        log.log(
            .info,
            "sitbreakd \(Self.version) started: \(schedule.kinds.count) kinds from \(configSource), "
                + "listening on \(socketText), state in \(store.directory)")
        notifier.ready(status: lastStatusLine)
    }

    /// Runs until SIGTERM or SIGINT; returns the exit status.
    public func run() -> Int32 {
        while !stopRequested {
            guard loop.runOnce() else {
                log.log(.error, "epoll_wait failed: \(SystemError.errno("epoll_wait").reason)")
                return 1
            }
            finishBatch()
        }
        notifier.stopping()
        presence.stop()
        saveState()
        server.shutdown()
        close(stopPipe.read)
        close(stopPipe.write)
        if heartbeatFD >= 0 { close(heartbeatFD) }
        log.log(.info, "sitbreakd stopped; state saved in \(store.path)")
        return 0
    }

    /// The engine's current instant.
    func now() -> Timestamp {
        engineTime(boottimeNanoseconds: SystemClock.boottimeNanoseconds())
    }

    /// The engine instant of a CLOCK_BOOTTIME reading.
    func engineTime(boottimeNanoseconds: Int64) -> Timestamp {
        Timestamp(secondsSinceEpoch: (boottimeNanoseconds + epochOffsetNanoseconds) / 1_000_000_000)
    }

    // MARK: - Presence

    /// The chains `[presence]` asks for, reporting to the engine and logging to the journal.
    private func makePresenceChain() -> PresenceChain {
        var order: [PresenceQuestion: [String]] = [:]
        for (name, sources) in presencePreferences.order {
            if let question = PresenceQuestion(rawValue: name) { order[question] = sources }
        }
        return PresenceChain(
            chains: PresenceCatalog.chains(PresenceCatalog.defaultOrder.merging(order) { $1 }), loop: loop,
            idleThresholdNanoseconds: schedule.idleThreshold * 1_000_000_000, environment: environment,
            report: { [unowned self] report in self.apply(report) },
            log: { [unowned self] line in self.log.log(.info, "presence: " + line) },
            locked: engine.snapshot.locked, inhibited: engine.snapshot.inhibited)
    }

    /// Applies a source's report to the engine. A suspend is saved before returning, so that a
    /// source holding logind's sleep delay can let the machine sleep right after.
    private func apply(_ report: PresenceReport) {
        let now = now()
        switch report {
        case .active: process(engine.apply(.presence(.active), at: now))
        case .idle(let lastInput):
            process(engine.applyIdle(lastInput: engineTime(boottimeNanoseconds: lastInput), at: now))
        case .lock: process(engine.apply(.presence(.lock), at: now))
        case .unlock: process(engine.apply(.presence(.unlock), at: now))
        case .suspend:
            process(engine.apply(.presence(.suspend), at: now))
            stateChanged = false
            saveState()
        case .resume:
            let wasSuspended = engine.isSuspended
            process(engine.apply(.presence(.resume), at: now))
            if wasSuspended { presence.machineResumed() }
        case .inhibit: process(engine.apply(.presence(.inhibit), at: now))
        case .uninhibit: process(engine.apply(.presence(.uninhibit), at: now))
        }
    }

    // MARK: - Wall clock

    /// A wall-clock step or a time-zone change: engine time is boot time mapped onto the calendar,
    /// so the mapping is corrected and the engine's instants move with it (durations stay; active
    /// hours and the local day are judged on the corrected clock).
    private func wallClockChanged(_ change: WallClockWatcher.Change) {
        process(engine.advance(through: now()))
        switch change {
        case .clockSet:
            let offset = SystemClock.realtimeNanoseconds() - SystemClock.boottimeNanoseconds()
            let delta = (offset - epochOffsetNanoseconds) / 1_000_000_000
            log.log(.info, "the wall clock was set: moved by \(delta >= 0 ? "+" : "")\(delta) s")
            guard delta != 0 else { return }
            epochOffsetNanoseconds += delta * 1_000_000_000
            engine = engine.clockStepped(by: delta)
        case .timeZone:
            log.log(.info, "the time zone changed: local time is now \(clock(now()))")
            engine = engine.timeZoneChanged()
        }
        stateChanged = true
    }

    // MARK: - Suspend by clock gap

    private static func sampleClocks() -> ClockGapDetector.Sample {
        ClockGapDetector.Sample(
            boottimeNanoseconds: SystemClock.boottimeNanoseconds(),
            monotonicNanoseconds: SystemClock.monotonicNanoseconds())
    }

    /// Runs first at every wake-up (before any handler applies an input at the present instant):
    /// a suspend the clocks reveal becomes `suspend` at its start and `resume` now. A suspend
    /// logind announced is already in the engine; then only the missing `resume` is applied.
    private func noticeClockGap() {
        guard let gap = clockGaps.observe(Self.sampleClocks()) else { return }
        let suspendedAt = engineTime(boottimeNanoseconds: gap.suspendedAtBoottimeNanoseconds)
        let resumedAt = engineTime(boottimeNanoseconds: gap.resumedAtBoottimeNanoseconds)
        // The process slept through the gap, so nothing can have moved the engine past its start;
        // if something did, a suspend placed there would be clamped to a wrong instant: leave it.
        if let current = engine.currentTime, current > suspendedAt {
            log.log(.warning, "ignored a clock gap of \(gap.nanoseconds / 1_000_000) ms: the engine is already later")
            return
        }
        log.log(.info, "the clocks show a suspend of \(gap.nanoseconds / 1_000_000_000) s")
        if !engine.isSuspended { process(engine.apply(.presence(.suspend), at: suspendedAt)) }
        process(engine.apply(.presence(.resume), at: resumedAt))
        presence?.machineResumed()
    }

    // MARK: - Batches

    /// Reports `events`: the journal (or stderr) and every subscriber.
    func process(_ events: [Event]) {
        guard !events.isEmpty else { return }
        for event in events {
            log.record(event)
            server?.broadcast(event.jsonLine)
        }
        stateChanged = true
    }

    /// The end of every wake-up: settle, report, save, refresh STATUS, re-arm the timer.
    private func finishBatch() {
        process(engine.advance(through: now()))
        if stateChanged {
            stateChanged = false
            server.broadcast(stateLine())
            saveState()
        }
        let line = statusLine()
        if line != lastStatusLine {
            lastStatusLine = line
            notifier.status(line)
        }
        armTimer()
    }

    private func armTimer() {
        var wake: Int64?
        if let deadline = engine.nextDeadline {
            wake = deadline.secondsSinceEpoch * 1_000_000_000 - epochOffsetNanoseconds
        }
        if let watchdog = nextWatchdogNanoseconds { wake = min(wake ?? watchdog, watchdog) }
        loop.setTimer(boottimeNanoseconds: wake) { [unowned self] in self.timerFired() }
    }

    private func timerFired() {
        let boottime = SystemClock.boottimeNanoseconds()
        if let next = nextWatchdogNanoseconds, let interval = watchdogIntervalNanoseconds, boottime >= next {
            notifier.watchdog()
            nextWatchdogNanoseconds = boottime + interval
            // The ping doubles as a heartbeat: after a crash, the time since the daemon was last
            // known to run counts as absence, so recording it keeps that span short.
            store.beat(now(), into: heartbeatFD)
        }
    }

    // MARK: - State

    private func restoreState() {
        guard
            let saved = store.load(corrupt: { [log] kept in
                log.log(.error, "the saved state could not be read; kept it as \(kept) and started afresh")
            })
        else { return }
        engine = Engine(schedule: schedule, timeZone: timeZone, snapshot: saved)
        // The time the daemon was not running counts as absence: a reboot is a break, a restart
        // of a second is not.
        // The daemon ran at least until its last save and its last heartbeat, whichever is later.
        let current = now()
        if let savedAt = saved.now {
            let lastAlive = min(max(savedAt, store.lastBeat() ?? savedAt), current)
            if !engine.isSuspended { process(engine.apply(.presence(.suspend), at: lastAlive)) }
            process(engine.apply(.presence(.resume), at: current))
        }
        log.log(.info, "restored the state saved at \(saved.now?.rfc3339 ?? "an unknown time")")
    }

    func saveState() {
        do {
            try store.save(engine.snapshot)
        } catch {
            log.log(.error, "could not save the state: \(error)")
        }
    }

    // MARK: - Signals and reload

    /// Asks the loop to stop as SIGTERM would; safe from any thread.
    public func requestStop() {
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
    }

    private func openStopPipe() throws(DaemonError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .system(.errno("pipe")) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        stopPipe = (fds[0], fds[1])
        do {
            try loop.add(fds[0]) { [unowned self] _ in self.stopRequested = true }
        } catch {
            throw .system(error)
        }
    }

    private func openSignals() throws(DaemonError) {
        let fd = sitbreak_signalfd_create()
        guard fd >= 0 else { throw .system(SystemError("signalfd", code: -fd)) }
        signalFD = fd
        do {
            try loop.add(fd) { [unowned self] _ in
                while true {
                    let signal = sitbreak_signalfd_read(self.signalFD)
                    if signal <= 0 { break }
                    if signal == SIGHUP {
                        _ = self.reload()
                    } else {
                        self.stopRequested = true
                    }
                }
            }
        } catch {
            throw .system(error)
        }
    }

    /// Re-reads the configuration; a bad file keeps the running one and says why.
    func reload() -> Result<String, ProtocolError> {
        notifier.reloading()
        defer { notifier.ready() }
        do {
            let loaded = try Self.loadConfiguration(options, environment)
            process(engine.advance(through: now()))
            schedule = loaded.configuration.schedule
            configSource = loaded.source
            engine = engine.reconfigured(with: schedule)
            if loaded.configuration.presence != presencePreferences {
                presencePreferences = loaded.configuration.presence
                presence.stop()
                presence = makePresenceChain()
                presence.start()
            } else {
                presence.setIdleThreshold(nanoseconds: schedule.idleThreshold * 1_000_000_000)
            }
            stateChanged = true
            log.log(.info, "reloaded the configuration: \(schedule.kinds.count) kinds from \(configSource)")
            return .success(configSource)
        } catch {
            log.log(.error, "reload failed, keeping the running configuration: \(error)")
            return .failure(ProtocolError(.reloadFailed, "\(error); the running configuration stays"))
        }
    }

    static func loadConfiguration(
        _ options: DaemonOptions, _ environment: [String: String]
    ) throws(DaemonError) -> (configuration: Configuration, source: String) {
        do {
            if let path = options.configPath { return (try ConfigLoader.loadConfiguration(path: path), path) }
            return try ConfigLoader.loadDefaultConfiguration(environment: environment)
        } catch {
            throw .setup(error.description)
        }
    }

    private func raiseFileLimit() {
        // Every subscriber is a descriptor; the soft limit of 1024 would cap them well below what
        // the hard limit allows, and epoll has no FD_SETSIZE problem.
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 && limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }
}
