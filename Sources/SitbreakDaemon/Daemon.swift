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
/// ping, a client, or a signal. The rules live in ``DaemonCore``, which has no I/O; this class is
/// the wiring: it owns the components, starts them in one place in order (``start()``), stops
/// them in reverse (``stop()``), and carries out the plan the core makes at the end of every
/// batch (save, report, announce, refresh `STATUS=`, re-arm the timer).
public final class Daemon {
    /// The daemon's version, reported by `version` and `--version`.
    public static let version = ControlProtocol.softwareVersion

    let options: DaemonOptions
    let environment: [String: String]
    let log: any EventLog
    let notifier: ServiceNotifier
    let loop: EventLoop
    let store: StateStore
    /// The engine and the end-of-batch rules.
    var core: DaemonCore
    let server: ControlServer
    /// The signals that ask it to end or reload (SIGHUP; SIGTERM, SIGINT, SIGQUIT, SIGXCPU,
    /// SIGPWR), read in the loop; the others that would kill it for nothing are ignored.
    private let signals: FileDescriptor
    /// A pipe whose write end ``requestStop()`` uses from another thread (in-process tests).
    private let stopPipe: (read: FileDescriptor, write: FileDescriptor)
    /// The presence sources (docs/design.md §5); the socket's `presence` feed comes on top of them.
    private(set) var presence: PresenceChain?
    /// Notices wall-clock steps and time-zone changes.
    private var wallClock: WallClockWatcher?
    /// The open heartbeat file (see ``StateStore/beat(_:into:)``), if it could be opened.
    private var heartbeat: FileDescriptor?
    /// The history store's writer (Daemon+History.swift); nil before start and after stop.
    var history: DaemonHistory?
    /// `stats` requests being answered a slice at a time, oldest first (Daemon+History.swift).
    var statsJobs: [StatsJob] = []
    /// The kernel's boot id, saved with the state: tells the next start a restart from a reboot.
    private let bootID = Daemon.readBootID()

    /// CLOCK_REALTIME − CLOCK_BOOTTIME at start: engine time is boot time shifted onto the
    /// calendar once, so a suspend or a wall-clock step never makes it jump or stall.
    private(set) var epochOffsetNanoseconds: Int64
    private var watchdogIntervalNanoseconds: Int64?
    private var nextWatchdogNanoseconds: Int64?
    private var lastStatusLine = ""
    private var stopRequested = false
    /// Whether the save at ``stop()`` succeeded.
    private var stateSaved = false
    /// The second line of suspend detection (docs/design.md §5), sampled at every wake-up.
    private var clockGaps = ClockGapDetector()

    /// The break engine (the core's).
    var engine: Engine {
        get { core.engine }
        _modify { yield &core.engine }
    }
    /// Where the schedule came from: a path, or the built-in default.
    var configSource: String { core.configSource }
    /// The schedule in use.
    var schedule: Schedule { core.schedule }

    /// Loads the configuration, restores the saved state, opens the control socket and tells
    /// systemd it is ready. A failure at any step closes what the earlier steps opened: each
    /// descriptor belongs to an owner that closes it.
    public init(
        options: DaemonOptions, environment: [String: String], log: any EventLog,
        notifier: ServiceNotifier = ServiceNotifier(), limits: ControlServer.Limits = ControlServer.Limits()
    ) throws(DaemonError) {
        self.options = options
        self.environment = environment
        self.log = log
        self.notifier = notifier
        epochOffsetNanoseconds = SystemClock.realtimeNanoseconds() - SystemClock.boottimeNanoseconds()
        try Self.checkClock(
            Self.engineTime(boottimeNanoseconds: SystemClock.boottimeNanoseconds(), offset: epochOffsetNanoseconds))
        let loaded = try Self.loadConfiguration(options, environment)
        core = DaemonCore(configuration: loaded.configuration, source: loaded.source, timeZone: GlibcTimeZone())
        let paths = try DaemonPaths.resolve(options, environment: environment)
        store = try StateStore(directory: paths.stateDirectory)
        Self.raiseFileLimit()
        do {
            loop = try EventLoop()
            signals = try FileDescriptor(checking: sitbreak_signalfd_create(), "signalfd")
            stopPipe = try Self.makeStopPipe()
            if let activated = SocketActivation.listeningSockets().first {
                server = try ControlServer(listening: activated, loop: loop, limits: limits)
            } else if let socket = paths.socket {
                server = try ControlServer(path: socket, loop: loop, limits: limits)
            } else {
                throw DaemonError.setup(
                    "XDG_RUNTIME_DIR is not set (pam_systemd sets it) and no socket was passed; give --socket PATH")
            }
        } catch let error as SystemError {
            throw .system(error)
        } catch let error as DaemonError {
            throw error
        } catch {
            throw .setup("\(error)")
        }
        try start()
    }

    /// Starts the components, in order: the loop's own descriptors, the control socket, the
    /// saved state, the heartbeat, the wall-clock watch, the presence sources, the watchdog; then
    /// the first batch and READY=1. ``stop()`` undoes it in reverse.
    private func start() throws(DaemonError) {
        do {
            try loop.add(signals.rawValue) { [unowned self] _ in self.readSignals() }
            try loop.add(stopPipe.read.rawValue) { [unowned self] _ in self.stopRequested = true }
        } catch {
            throw .system(error)
        }
        server.onLine = { [unowned self] client, line in
            let reply = self.handle(line, from: client)
            // Save before acknowledging: what the request changed is saved (and flushed) before
            // its reply, the events' journal entries or any broadcast goes out, so a client told
            // `ok` can rely on it surviving a kill -9 right after. A batch without a change (status,
            // version) saves nothing.
            self.finishBatch()
            return reply
        }
        server.onLog = { [unowned self] message in self.log.log(.warning, message) }
        openHistory()
        restoreState()
        switch store.openHeartbeat() {
        case .success(let file):
            heartbeat = file
            store.beat(now(), into: file.rawValue)
        case .failure(let error):
            log.log(.warning, "no heartbeat: \(error)")
        }
        _ = clockGaps.observe(Self.sampleClocks())
        do {
            wallClock = try WallClockWatcher(loop: loop) { [unowned self] change in self.wallClockChanged(change) }
        } catch {
            log.log(.warning, "wall-clock steps will go unnoticed: \(error)")
        }
        loop.onWake = { [unowned self] in self.noticeClockGap() }
        startPresence()
        if let interval = notifier.watchdogPingIntervalMilliseconds {
            watchdogIntervalNanoseconds = interval * 1_000_000
            nextWatchdogNanoseconds = SystemClock.boottimeNanoseconds() + interval * 1_000_000
        }
        // Save at once: from now on a crash must find when the daemon was last known to run.
        core.markChanged()
        finishBatch()
        let socketText = server.ownedPath ?? "a socket passed by systemd"
        log.log(
            .info,
            "sitbreakd \(Self.version) started: \(Self.kindCount(schedule)) from \(configSource), "
                + "listening on \(socketText), state in \(store.directory)")
        notifier.ready(status: lastStatusLine)
    }

    /// Stops what ``start()`` started, in reverse order, saving the state last before the
    /// socket closes.
    private func stop() {
        notifier.stopping()
        presence?.stop()
        presence = nil
        wallClock = nil
        loop.onWake = nil
        statsJobs = []  // Their clients are closed with the server, unanswered.
        // Report what is pending, then record the stop: its instant tells the next start exactly
        // how long the daemon was down.
        finishBatch()
        stateSaved = save(SavedState(snapshot: engine.snapshot, bootID: bootID, stoppedAt: now()))
        closeHistory()
        heartbeat = nil
        server.shutdown()
        loop.remove(stopPipe.read.rawValue)
        loop.remove(signals.rawValue)
    }

    /// Runs until SIGTERM or SIGINT; returns the exit status.
    public func run() -> Int32 {
        releaseStartupPages()
        while !stopRequested {
            // While a `stats` job is under way the loop only polls, and a slice of it runs after
            // whatever was ready: a year of statistics never holds up a `status` for long.
            guard loop.runOnce(blocking: statsJobs.isEmpty) else {
                log.log(.error, SystemError.errno("epoll_wait").description)
                stop()
                return 1
            }
            finishBatch()
            advanceStatsJobs()
        }
        stop()
        if stateSaved {
            log.log(.info, "sitbreakd stopped; state saved in \(store.path)")
        } else {
            log.log(.error, "sitbreakd stopped; the state could NOT be saved in \(store.path)")
        }
        return 0
    }

    /// Gives back the pages start-up mapped and waiting does not use (docs/design.md §7); a
    /// failure costs memory, not function, so it is logged and ignored.
    private func releaseStartupPages() {
        do {
            try ProcessMemory.releaseReadOnlyPages()
        } catch {
            log.log(.warning, "cannot give back start-up memory: \(error)")
        }
    }

    /// "1 kind", "3 kinds": for the start and reload log lines.
    static func kindCount(_ schedule: Schedule) -> String {
        schedule.kinds.count == 1 ? "1 kind" : "\(schedule.kinds.count) kinds"
    }

    /// The engine's current instant.
    func now() -> Timestamp {
        engineTime(boottimeNanoseconds: SystemClock.boottimeNanoseconds())
    }

    /// The engine instant of a CLOCK_BOOTTIME reading.
    func engineTime(boottimeNanoseconds: Int64) -> Timestamp {
        Self.engineTime(boottimeNanoseconds: boottimeNanoseconds, offset: epochOffsetNanoseconds)
    }

    /// Boot time shifted by `offset`, saturating instead of trapping at the ends of Int64.
    static func engineTime(boottimeNanoseconds: Int64, offset: Int64) -> Timestamp {
        let (sum, overflow) = boottimeNanoseconds.addingReportingOverflow(offset)
        return Timestamp(secondsSinceEpoch: (overflow ? (offset > 0 ? Int64.max : Int64.min) : sum) / 1_000_000_000)
    }

    /// Refuses to run on a clock outside the instants the engine and the state file hold
    /// (1970–2242; 2262-04-11 is where nanoseconds overflow Int64): a clear error rather than a
    /// trap, and no state saved with an instant no later start could read.
    static func checkClock(_ now: Timestamp) throws(DaemonError) {
        guard EngineSnapshot.instants.contains(now) else {
            throw .setup(
                "the clock reads \(now.secondsSinceEpoch) s since 1970, outside what sitbreakd supports "
                    + "(1970 to 2242-03-16); set the system clock")
        }
    }

    // MARK: - Presence

    /// Starts the chains `[presence]` asks for.
    private func startPresence() {
        let chain = makePresenceChain()
        presence = chain
        chain.start()
    }

    /// The chains `[presence]` asks for, reporting to the engine and logging to the journal.
    private func makePresenceChain() -> PresenceChain {
        var order: [PresenceQuestion: [String]] = [:]
        for (name, sources) in core.presencePreferences.order {
            if let question = PresenceQuestion(rawValue: name) { order[question] = sources }
        }
        return PresenceChain(
            chains: PresenceCatalog.chains(PresenceCatalog.defaultOrder.merging(order) { $1 }), loop: loop,
            idleThresholdNanoseconds: schedule.idleThreshold * 1_000_000_000, environment: environment,
            report: { [unowned self] report in self.apply(report) },
            log: { [unowned self] line in self.log.log(.info, "presence: " + line) },
            locked: engine.snapshot.locked, inhibited: engine.snapshot.inhibited, followsManagerEnvironment: true)
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
            finishBatch()
        case .resume:
            let wasSuspended = engine.isSuspended
            process(engine.apply(.presence(.resume), at: now))
            if wasSuspended { presence?.machineResumed() }
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
            // A clock set outside 1970–2242 is not followed (it would overflow in nanoseconds):
            // engine time keeps running on boot time from the old mapping.
            let moved = now() + delta
            guard EngineSnapshot.instants.contains(moved) else {
                log.log(.warning, "ignored the wall-clock step to \(moved.secondsSinceEpoch) s: outside 1970–2242")
                return
            }
            let before = now()
            epochOffsetNanoseconds += delta * 1_000_000_000
            core.wallClockStepped(by: delta, at: before)
        case .timeZone:
            log.log(.info, "the time zone changed: local time is now \(core.clock(now()))")
            core.rebuildEngine { $0.timeZoneChanged() }
        }
        core.markChanged()
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

    /// Collects `events` for the end of the batch, which saves and reports them.
    func process(_ events: [Event]) {
        core.record(events)
    }

    /// The end of every batch: the core settles the engine and says what to do; saving comes
    /// before anything that reports the state.
    func finishBatch() {
        let plan = core.endBatch(at: now())
        // A failed save is logged, and the replies and events still go out: the change is in
        // effect in this run, and withholding it would not make the disk writable.
        if let snapshot = plan.save { save(SavedState(snapshot: snapshot, bootID: bootID)) }
        recordHistory(plan, at: now())
        let today = plan.events.isEmpty ? nil : todaySittingSeconds(at: now())
        for event in plan.events {
            log.record(event, todaySittingSeconds: today)
            server.broadcast(event.jsonLine)
        }
        if plan.announceState { server.broadcast(stateLine()) }
        if let line = plan.statusLine {
            lastStatusLine = line
            notifier.status(line)
        }
        armTimer(deadline: plan.nextDeadline)
    }

    private func armTimer(deadline: Timestamp?) {
        // Saturating: a deadline too far away for nanoseconds is simply "not before the end".
        var wake = deadline.map { deadline in
            let (nanoseconds, overflow) = deadline.secondsSinceEpoch.multipliedReportingOverflow(by: 1_000_000_000)
            return overflow ? Int64.max : nanoseconds.subtractingReportingOverflow(epochOffsetNanoseconds).partialValue
        }
        if let watchdog = nextWatchdogNanoseconds { wake = min(wake ?? watchdog, watchdog) }
        loop.setTimer(boottimeNanoseconds: wake) { [unowned self] in self.timerFired() }
    }

    private func timerFired() {
        let boottime = SystemClock.boottimeNanoseconds()
        if let next = nextWatchdogNanoseconds, let interval = watchdogIntervalNanoseconds, boottime >= next {
            notifier.watchdog()
            nextWatchdogNanoseconds = boottime + interval
            // The ping doubles as a heartbeat: the last instant the daemon was known to run. It
            // bounds where the absence after a crash before a reboot may start; in the same boot
            // nothing proves when a crashed daemon died, so it never adds absence there.
            if let heartbeat { store.beat(now(), into: heartbeat.rawValue) }
        }
    }

    // MARK: - State

    /// Restores the saved state and feeds the engine the absence the downtime proves, if any
    /// (``DaemonCore/downtimeAbsence(after:restart:idleThreshold:)``).
    private func restoreState() {
        guard
            let saved = store.load(corrupt: { [log] kept, reason in
                log.log(.error, "the saved state could not be read (\(reason)); kept it as \(kept) and started afresh")
            })
        else { return }
        engine = Engine(schedule: schedule, timeZone: core.timeZone, snapshot: saved.snapshot)
        let current = now()
        let facts = DaemonCore.RestartFacts(
            now: current, bootID: bootID, bootedAt: engineTime(boottimeNanoseconds: 0), lastBeat: store.lastBeat())
        let absenceStart = DaemonCore.downtimeAbsence(
            after: saved, restart: facts, idleThreshold: schedule.idleThreshold)
        if let absenceStart {
            if !engine.isSuspended { process(engine.apply(.presence(.suspend), at: absenceStart)) }
            process(engine.apply(.presence(.resume), at: current))
        } else if engine.isSuspended {
            process(engine.apply(.presence(.resume), at: current))
        }
        let how =
            saved.stoppedAt != nil ? "after a clean stop" : "after a crash (the presence sources tell any absence)"
        let away = absenceStart.map { "; away since \($0.rfc3339)" } ?? "; no absence counted"
        log.log(.info, "restored the state saved at \(saved.snapshot.now?.rfc3339 ?? "an unknown time") \(how)\(away)")
    }

    /// Saves the engine's state; false (and logged) when that failed.
    @discardableResult
    func saveState() -> Bool {
        save(SavedState(snapshot: engine.snapshot, bootID: bootID))
    }

    @discardableResult
    private func save(_ state: SavedState) -> Bool {
        do {
            try store.save(state)
            return true
        } catch {
            log.log(.error, "could not save the state: \(error)")
            return false
        }
    }

    /// The kernel's id of this boot, nil when /proc does not say.
    private static func readBootID() -> String? {
        let fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let file = FileDescriptor(fd)
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(file.rawValue, &buffer, buffer.count)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n].filter { $0 != 0x0A }, as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    // MARK: - Signals and reload

    /// Asks the loop to stop as SIGTERM would; safe from any thread.
    public func requestStop() {
        var byte: UInt8 = 1
        _ = write(stopPipe.write.rawValue, &byte, 1)
    }

    private static func makeStopPipe() throws(SystemError) -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [Int32] = [-1, -1]
        try SystemError.checkSystemCall(pipe(&fds), "pipe")
        let ends = (read: FileDescriptor(fds[0]), write: FileDescriptor(fds[1]))
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        return ends
    }

    private func readSignals() {
        while true {
            let signal = sitbreak_signalfd_read(signals.rawValue)
            if signal <= 0 { break }
            if signal == SIGHUP {
                _ = reload()
            } else {
                // Every other signal read here asks the daemon to end: it saves and stops.
                if signal != SIGTERM && signal != SIGINT {
                    log.log(.info, "stopping on signal \(signal) (\(String(cString: strsignal(signal))))")
                }
                stopRequested = true
            }
        }
    }

    /// Re-reads the configuration; a bad file keeps the running one and says why.
    func reload() -> Result<String, ProtocolError> {
        notifier.reloading()
        defer { notifier.ready() }
        do {
            let loaded = try Self.loadConfiguration(options, environment)
            process(engine.advance(through: now()))
            core.schedule = loaded.configuration.schedule
            core.configSource = loaded.source
            core.historyKeep = loaded.configuration.history.keep
            history?.keep = core.historyKeep
            core.rebuildEngine { [schedule] in $0.reconfigured(with: schedule) }
            if loaded.configuration.presence != core.presencePreferences {
                core.presencePreferences = loaded.configuration.presence
                presence?.stop()
                startPresence()
            } else {
                presence?.setIdleThreshold(nanoseconds: schedule.idleThreshold * 1_000_000_000)
            }
            core.markChanged()
            log.log(.info, "reloaded the configuration: \(Self.kindCount(schedule)) from \(configSource)")
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

    private static func raiseFileLimit() {
        // Every subscriber is a descriptor; the soft limit of 1024 would cap them well below what
        // the hard limit allows, and epoll has no FD_SETSIZE problem.
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 && limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }
}
