import SitbreakEngine
import SitbreakProtocol

extension Daemon {
    /// Answers one request line (docs/protocol.md). Returns the reply line, or nil when the reply
    /// was already queued (subscribe queues its first state snapshot after the reply).
    func handle(_ line: [UInt8], from client: ClientConnection) -> String? {
        let request: Request
        switch Request.decode(line) {
        case .success(let decoded): request = decoded
        case .failure(let failure): return Reply.failure(id: failure.id, error: failure.error)
        }
        let id = request.id
        switch request.command {
        case .status:
            return Reply.success(id: id, result: statusJSON())
        case .version:
            return Reply.success(
                id: id,
                result: .object([
                    ("protocol", .integer(Int64(Reply.protocolVersion))), ("version", .string(Daemon.version)),
                ]))
        case .snooze(let kind, let duration):
            return command(.snooze(kind.map { .kind($0) } ?? .all, duration: duration), id: id)
        case .skip(let kind):
            return command(.skip(kind: kind), id: id)
        case .done(let kind):
            return command(.done(kind: kind), id: id)
        case .pause(let duration):
            return command(.pause(duration.map { .duration($0) } ?? .default), id: id)
        case .resumeReminders:
            return command(.resumeReminders, id: id)
        case .presence(let presence):
            let events = engine.apply(.presence(presence), at: now())
            process(events)
            return Reply.success(id: id, result: .object([("events", eventsJSON(events))]))
        case .subscribe:
            client.subscribed = true
            client.enqueue(Reply.success(id: id, result: .object([("subscribed", .bool(true))])))
            client.enqueue(stateLine())
            return nil
        case .reload:
            switch reload() {
            case .success(let source): return Reply.success(id: id, result: .object([("config", .string(source))]))
            case .failure(let error): return Reply.failure(id: id, error: error)
            }
        case .stats:
            return Reply.failure(
                id: id, error: ProtocolError(.unsupported, "statistics come with the history store; not in this version"))
        }
    }

    /// Applies a command; a refusal by the engine's rules becomes a `refused` error reply.
    private func command(_ command: Command, id: JSONValue) -> String {
        let events = engine.apply(.command(command), at: now())
        process(events)
        let refusals = events.compactMap { event -> String? in
            if case .refused(_, _, let reason) = event.body { return reason }
            return nil
        }
        if !refusals.isEmpty && refusals.count == events.count {
            return Reply.failure(id: id, error: ProtocolError(.refused, refusals.joined(separator: "; ")))
        }
        return Reply.success(id: id, result: .object([("events", eventsJSON(events))]))
    }

    private func eventsJSON(_ events: [Event]) -> JSONValue {
        .array(events.compactMap { try? JSONParser.parse($0.jsonLine) })
    }
}
