import SitbreakEngine
import SitbreakProtocol

extension Daemon {
    /// Answers one request line (docs/protocol.md). Returns the reply line, or nil when the reply
    /// was already queued (subscribe queues its first state snapshot after the reply) or comes
    /// later (a long `stats`, see ``stats(_:id:from:)``).
    func handle(_ line: [UInt8], from client: ClientConnection) -> String? {
        let request: Request
        switch Request.decode(line) {
        case .success(let decoded): request = decoded
        case .failure(let failure): return Reply.failure(id: failure.id, error: failure.error)
        }
        let id = request.id
        switch request.command {
        case .status:
            return Reply.success(id: id, result: statusResult().json)
        case .version:
            return Reply.success(
                id: id,
                result: Reply.versionResult)
        case .command(let command):
            return self.command(command, id: id)
        case .presence(let presence):
            let events = engine.apply(.presence(presence), at: now())
            process(events)
            return Reply.success(id: id, result: Reply.eventsResult(events))
        case .subscribe:
            // What an earlier handler of this wake-up changed is saved and reported first: the
            // first snapshot a subscriber sees is one that survives a crash.
            finishBatch()
            client.subscribed = true
            client.enqueue(Reply.success(id: id, result: Reply.subscribedResult))
            client.enqueue(stateLine())
            return nil
        case .reload:
            switch reload() {
            case .success(let source): return Reply.success(id: id, result: Reply.reloadResult(config: source))
            case .failure(let error): return Reply.failure(id: id, error: error)
            }
        case .stats(let query):
            return stats(query, id: id, from: client)
        }
    }

    /// Applies a command; a refusal by the engine's rules becomes a `refused` error reply.
    private func command(_ command: Command, id: JSONValue) -> String {
        let events = engine.apply(.command(command), at: now())
        process(events)
        var refusals: [Refusal] = []
        var accepted: [Event] = []
        for event in events {
            if case .refused(_, let refusal) = event.body { refusals.append(refusal) } else { accepted.append(event) }
        }
        if !refusals.isEmpty && accepted.isEmpty {
            return Reply.failure(
                id: id, error: ProtocolError(.refused, refusals.map(\.reason).joined(separator: "; ")))
        }
        // Refusals of a partly refused `snooze all` reach subscribers, not the result (docs/protocol.md).
        return Reply.success(id: id, result: Reply.eventsResult(accepted))
    }

}
