import SitbreakDBus
import SitbreakSystem

/// The ordered chains of docs/design.md §5: for each question, the first source that starts is used;
/// when it is lost the next is tried, and when one ranked above it appears it takes over.
///
/// Reports of a source that is not in use are dropped, so a source being replaced cannot talk
/// over its successor. A source that was lost is not retried until it says it appeared again
/// (a D-Bus name gained an owner, a restart timer fired): a compositor that dies at once would
/// otherwise be restarted in a loop.
public final class PresenceChain {
    /// One source as `sitbreakctl status` shows it.
    public struct SourceState: Equatable, Sendable {
        /// The source's name (`x11`).
        public var id: String
        /// What it watches when in use, or why it is not: `DISPLAY is not set`, or nil for a
        /// source ranked below the one in use (not tried).
        public var detail: String?
        /// Whether this source answers the question now.
        public var inUse: Bool
    }

    /// One question's chain as `sitbreakctl status` shows it.
    public struct QuestionState: Equatable, Sendable {
        /// The question.
        public var question: PresenceQuestion
        /// The sources in order of preference.
        public var sources: [SourceState]
    }

    private struct Slot {
        var source: any PresenceSource
        /// Why it is not in use, when it was tried and failed or was lost.
        var reason: String?
        /// Lost and waiting to appear again before it is retried.
        var waitingToAppear = false
        var watching = false
    }

    private let loop: EventLoop
    /// The environment sources are started with: the daemon's, updated from the user service
    /// manager's when the chain follows it.
    private var environment: [String: String]
    /// Follows the user service manager's environment, when asked to.
    private var managerWatch: ManagerEnvironmentWatch?
    private let buses: BusProvider
    private var idleThresholdNanoseconds: Int64
    private let sink: (PresenceReport) -> Void
    private let log: (String) -> Void
    private var slots: [PresenceQuestion: [Slot]] = [:]
    private var inUse: [PresenceQuestion: Int] = [:]
    private let order: [PresenceQuestion]
    private var running = false
    /// Whether the engine was last told the screen is locked / an inhibitor is held. A source
    /// reports these at start only when they hold, so when the source in use changes (or none is
    /// left) and the new one did not confirm, the chain says they ended: otherwise a lock seen by
    /// a source that went away would last for ever.
    private var held: [PresenceQuestion: Bool] = [:]

    /// Creates the chains; nothing starts before ``start()``.
    ///
    /// - Parameters:
    ///   - chains: for each question, its sources in order of preference.
    ///   - report: where the reports of sources in use go (the engine).
    ///   - log: where changes of source go (the journal).
    ///   - locked: whether the engine believes the screen is locked now (a restart, a reload),
    ///     so that the lock chain can say `unlock` if its source does not confirm the lock.
    ///   - inhibited: the same for an idle inhibitor.
    ///   - followsManagerEnvironment: whether to follow the user service manager's `DISPLAY`,
    ///     `WAYLAND_DISPLAY` and `XDG_SESSION_TYPE` (a desktop that starts after the daemon
    ///     imports them there), re-choosing the sources when they change.
    public init(
        chains: [(PresenceQuestion, [any PresenceSource])], loop: EventLoop, idleThresholdNanoseconds: Int64,
        environment: [String: String], report: @escaping (PresenceReport) -> Void, log: @escaping (String) -> Void,
        locked: Bool = false, inhibited: Bool = false, followsManagerEnvironment: Bool = false
    ) {
        held = [.lock: locked, .inhibit: inhibited]
        self.loop = loop
        self.environment = environment
        buses = BusProvider(environment: environment, loop: loop)
        self.idleThresholdNanoseconds = idleThresholdNanoseconds
        self.sink = report
        self.log = log
        order = chains.map(\.0)
        for (question, sources) in chains {
            slots[question] = sources.map { Slot(source: $0) }
        }
        if followsManagerEnvironment {
            managerWatch = ManagerEnvironmentWatch(
                socketDirectories: DisplaySocketDirectory.standard(environment: environment)
            ) { [weak self] reading, previous in
                self?.managerEnvironmentChanged(reading, previous: previous)
            }
        }
    }

    /// Chooses a source for every question and starts it. The manager's environment is read
    /// first, so that a desktop that is already there is used from the start.
    public func start() {
        switch managerWatch?.start(buses) {
        case .notFollowed(let reason):
            log("the desktop session's environment will not be followed: \(reason)")
        case .partly(let reason):
            log(
                "the desktop session's environment is followed only when graphical-session.target changes, "
                    + "not when it is imported without it: \(reason)")
        case .following, nil:
            break
        }
        for directory in managerWatch?.unwatchedSocketDirectories ?? [] {
            log(
                "display servers' sockets are not watched in \(directory): a desktop importing its environment "
                    + "with systemctl alone is not followed there")
        }
        running = true
        for question in order { choose(question) }
    }

    /// Stops every source and every watch.
    public func stop() {
        running = false
        managerWatch?.stop()
        for question in order {
            if let index = inUse[question] { slots[question]![index].source.stop() }
            inUse[question] = nil
            for i in slots[question]!.indices where slots[question]![i].watching {
                slots[question]![i].source.stopWatching()
                slots[question]![i].watching = false
            }
        }
    }

    /// Restarts the idle source with a new threshold (after a reload).
    public func setIdleThreshold(nanoseconds: Int64) {
        guard nanoseconds != idleThresholdNanoseconds else { return }
        idleThresholdNanoseconds = nanoseconds
        guard running, let index = inUse[.idle] else { return }
        slots[.idle]![index].source.stop()
        inUse[.idle] = nil
        choose(.idle)
    }

    /// Tells every source in use that the machine woke (see ``PresenceSource/machineResumed()``).
    public func machineResumed() {
        for question in order {
            if let index = inUse[question] { slots[question]![index].source.machineResumed() }
        }
    }

    /// Every chain, for `status`.
    public var states: [QuestionState] {
        order.map { question in
            let current = inUse[question]
            return QuestionState(
                question: question,
                sources: slots[question]!.enumerated().map { i, slot in
                    SourceState(
                        id: slot.source.id, detail: i == current ? slot.source.description : slot.reason,
                        inUse: i == current)
                })
        }
    }

    /// The source in use for `question`, if any.
    public func sourceInUse(_ question: PresenceQuestion) -> (any PresenceSource)? {
        inUse[question].map { slots[question]![$0].source }
    }

    // MARK: - The desktop session

    /// A new reading of the user service manager's environment: the chains' environment follows
    /// it, every source ranked above the one in use is tried again with it (one that was lost
    /// too: what it lacked may be what changed), and the one in use is restarted if it reads a
    /// variable that changed (x11 on the old `DISPLAY`).
    private func managerEnvironmentChanged(_ reading: ManagerEnvironment, previous: ManagerEnvironment?) {
        let hadSession = ManagerEnvironment.watchedVariables.contains { !(environment[$0] ?? "").isEmpty }
        let (updated, changed) = reading.apply(to: environment, previous: previous)
        guard !changed.isEmpty else { return }
        environment = updated
        let hasSession = ManagerEnvironment.watchedVariables.contains { !(updated[$0] ?? "").isEmpty }
        let what = !hadSession && hasSession ? "appeared" : hasSession ? "changed" : "ended"
        log("the desktop session \(what): \(ManagerEnvironment.describe(changed, in: updated))")
        guard running else { return }
        for question in order {
            if let index = inUse[question],
                !slots[question]![index].source.environmentVariables.isDisjoint(with: changed)
            {
                slots[question]![index].source.stop()
                inUse[question] = nil
            }
            let current = inUse[question] ?? slots[question]!.count
            for i in slots[question]!.indices where i < current {
                unwatch(question, i)
                slots[question]![i].waitingToAppear = false
            }
            choose(question)
        }
    }

    // MARK: - Choosing

    /// Walks the chain from the top down to the source in use (or the end): the first source
    /// that starts becomes the one in use, replacing a lower one.
    private func choose(_ question: PresenceQuestion) {
        guard running else { return }
        let current = inUse[question]
        var chosen = current
        let wasHeld = held[question]
        for i in slots[question]!.indices {
            if i == current { break }
            let slot = slots[question]![i]
            if slot.waitingToAppear {
                watch(question, i)
                continue
            }
            // In use while it starts, so that what it reports at once reaches the engine; a new
            // source says at start whether the lock (inhibitor) holds.
            inUse[question] = i
            if wasHeld != nil { held[question] = false }
            do {
                try slot.source.start(context(question, i))
                slots[question]![i].reason = nil
                unwatch(question, i)
                chosen = i
                break
            } catch {
                inUse[question] = current
                held[question] = wasHeld
                slots[question]![i].reason = error.reason
                watch(question, i)
            }
        }
        if let current, chosen != current {
            slots[question]![current].source.stop()
        }
        inUse[question] = chosen
        // Sources ranked below the one in use are not needed: no watches, no stale reasons.
        if let chosen {
            for i in slots[question]!.indices where i > chosen {
                unwatch(question, i)
                slots[question]![i].reason = nil
                slots[question]![i].waitingToAppear = false
            }
        }
        if chosen != current { logChoice(question) }
        // A lock (inhibitor) the engine was told of, and that no source confirms now, ended.
        if wasHeld == true, chosen == nil || (chosen != current && held[question] != true) {
            held[question] = false
            sink(question == .lock ? .unlock : .uninhibit)
        }
    }

    private func context(_ question: PresenceQuestion, _ index: Int) -> PresenceContext {
        let source = slots[question]![index].source
        return PresenceContext(
            loop: loop, idleThresholdNanoseconds: idleThresholdNanoseconds, environment: environment,
            buses: buses,
            report: { [weak self] report in
                guard let self, self.inUse[question] == index else { return }
                switch report {
                case .lock, .inhibit: self.held[question] = true
                case .unlock, .uninhibit: self.held[question] = false
                default: break
                }
                self.sink(report)
            },
            lost: { [weak self] reason in
                guard let self, self.inUse[question] == index else { return }
                self.log("\(question.rawValue): lost \(source.id): \(reason)")
                source.stop()
                self.inUse[question] = nil
                self.slots[question]![index].reason = reason
                self.slots[question]![index].waitingToAppear = true
                self.choose(question)
            },
            log: { [weak self] line in self?.log("\(source.id): \(line)") })
    }

    private func watch(_ question: PresenceQuestion, _ index: Int) {
        guard !slots[question]![index].watching else { return }
        let source = slots[question]![index].source
        let watching = source.watchForAppearance(context(question, index)) { [weak self] in
            guard let self, self.running else { return }
            self.unwatch(question, index)
            self.slots[question]![index].waitingToAppear = false
            self.log("\(question.rawValue): \(source.id) may be available now")
            self.choose(question)
        }
        slots[question]![index].watching = watching
    }

    private func unwatch(_ question: PresenceQuestion, _ index: Int) {
        guard slots[question]![index].watching else { return }
        slots[question]![index].source.stopWatching()
        slots[question]![index].watching = false
    }

    private func logChoice(_ question: PresenceQuestion) {
        let skipped = slots[question]!.compactMap { slot in slot.reason.map { "\(slot.source.id): \($0)" } }
        var line = "\(question.rawValue): "
        if let index = inUse[question] {
            let source = slots[question]![index].source
            line += "using \(source.id) (\(source.description))"
        } else {
            line += "no source"
        }
        if !skipped.isEmpty { line += "; not used: " + skipped.joined(separator: "; ") }
        log(line)
    }
}
