import SitbreakEngine
import SitbreakPresence
import SitbreakProtocol

extension Daemon {
    /// The `status` result (docs/protocol.md).
    func statusResult() -> StatusResult {
        let now = now()
        let status = engine.status(at: now)
        return StatusResult(
            present: status.present, sittingSince: status.sittingSince, awaySince: status.awaySince,
            locked: status.locked, pausedUntil: status.pausedUntil, suspended: status.suspended,
            nextDeadline: engine.nextDeadline, sources: sourcesInUse(), presence: presenceChains(),
            config: configSource,
            kinds: status.kinds.map {
                StatusResult.Kind(
                    name: $0.kind.name, everySeconds: $0.kind.every, durationSeconds: $0.kind.duration,
                    sittingSeconds: $0.sittingSeconds, due: $0.due, nextReminder: $0.nextReminder,
                    snoozedUntil: $0.snoozedUntil, snoozes: $0.snoozes, nag: $0.nextNag,
                    snoozeSeconds: $0.kind.snooze)
            },
            statusLine: statusLine(status), todaySittingSeconds: todaySittingSeconds(at: now))
    }

    /// The presence sources in use, one line each, then the ones always on.
    func sourcesInUse() -> [String] {
        let chains = presence.map(\.states) ?? []
        return chains.compactMap { chain in
            chain.sources.first(where: \.inUse).map { "\(chain.question.rawValue): \($0.id) (\($0.detail ?? ""))" }
        } + ["suspend: clock gap (CLOCK_BOOTTIME − CLOCK_MONOTONIC)", "socket presence feed"]
    }

    /// Every chain with the reason each unused source is not in use.
    func presenceChains() -> [PresenceChainStatus] {
        (presence.map(\.states) ?? []).map { chain in
            PresenceChainStatus(
                question: chain.question.rawValue,
                sources: chain.sources.map { .init(id: $0.id, inUse: $0.inUse, detail: $0.detail) })
        }
    }

    /// The `state` snapshot subscribers get after every change.
    func stateLine() -> String {
        statusResult().stateEvent(at: now()).serialized
    }

    /// The one-line summary for `STATUS=` (see ``DaemonCore/statusLine(_:)``).
    func statusLine(_ status: EngineStatus? = nil) -> String {
        core.statusLine(status ?? engine.status(at: now()))
    }
}
