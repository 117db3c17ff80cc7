import SitbreakEngine

/// Drives the engine with trace steps, the way `sitbreakctl simulate` does.
///
/// Steps must already be valid (see ``TraceParser``); the runner only feeds them in. Events are
/// handed out as the engine produces them, one settled instant at a time, so a trace spanning
/// years streams its events in flat memory. The one exception is the events of the latest
/// input's instant: they are held until a later step shows that the trace does not end at that
/// very instant, since nothing at or after `end` may be emitted.
public struct TraceRunner: Sendable {
    /// The engine being driven.
    public private(set) var engine: Engine
    /// Whether the `end` step has been applied; later steps are ignored.
    public private(set) var isFinished = false
    /// How many instants the engine has settled between inputs so far: the engine's steps over
    /// the trace's empty stretches, where it works only when something can happen.
    public private(set) var settledInstants = 0

    /// Whether the engine's changes between sitting and absence are kept for
    /// ``takePresenceChanges()`` (statistics, a history import). Off, they are dropped after every
    /// step, so that a plain simulation stays in flat memory however long its trace.
    public var collectsPresenceChanges = false

    /// Events of the instant of the latest input, waiting to learn whether `end` falls on it.
    private var held: [Event] = []
    private var heldAt: Timestamp?

    /// Creates a runner with a fresh engine.
    public init(schedule: Schedule, timeZone: any LocalTimeZone) {
        engine = Engine(schedule: schedule, timeZone: timeZone)
    }

    /// Applies one step, passing each event to `emit` as soon as it is certain to be emitted.
    ///
    /// At `end` the engine settles only what is due strictly before that instant, and events that
    /// inputs at that instant produced are dropped: the simulation emits nothing at or after
    /// `end` (docs/engine.md). When `emit` throws, the runner stops there, with the error.
    public mutating func apply<Failure: Error>(
        _ step: TraceStep, emit: (Event) throws(Failure) -> Void
    ) throws(Failure) {
        guard !isFinished else { return }
        defer { if !collectsPresenceChanges { _ = engine.takePresenceChanges() } }
        if let heldAt, step.time > heldAt { try release(emit: emit) { _ in true } }
        switch step.action {
        case .input(let input):
            // Events before the input's instant are certain; those at it wait with the input's own.
            var count = 0
            var atInstant: [Event] = []
            defer { settledInstants += count }
            let own = try engine.apply(input, at: step.time) { (events) throws(Failure) in
                count += 1
                for event in events {
                    if event.time < step.time { try emit(event) } else { atInstant.append(event) }
                }
            }
            if held.isEmpty && atInstant.isEmpty {
                held = own  // the common case: no copy
            } else {
                held += atInstant
                held += own
            }
            heldAt = step.time
        case .end:
            isFinished = true
            try release(emit: emit) { $0.time < step.time }
            try settle(before: step.time, emit: emit)
        }
    }

    /// Hands out the engine's changes between sitting and absence since the last call (see
    /// ``Engine/takePresenceChanges()``). Unlike events they are not held back: a caller that must
    /// drop what an input at the `end` instant changed does so by their ``PresenceChange/learnedAt``.
    public mutating func takePresenceChanges() -> [PresenceChange] {
        engine.takePresenceChanges()
    }

    /// Applies one step and returns the events it released; see ``apply(_:emit:)``.
    public mutating func apply(_ step: TraceStep) -> [Event] {
        var events: [Event] = []
        apply(step) { events.append($0) }
        return events
    }

    /// Emits the held events that `keep` accepts and forgets the rest.
    private mutating func release<Failure: Error>(
        emit: (Event) throws(Failure) -> Void, where keep: (Event) -> Bool
    ) throws(Failure) {
        heldAt = nil
        guard !held.isEmpty else { return }
        let events = held
        held = []
        for event in events where keep(event) { try emit(event) }
    }

    /// Lets the engine settle everything due before `time`, emitting as it goes.
    private mutating func settle<Failure: Error>(
        before time: Timestamp, emit: (Event) throws(Failure) -> Void
    ) throws(Failure) {
        var count = 0
        defer { settledInstants += count }
        try engine.advance(before: time) { (events) throws(Failure) in
            count += 1
            for event in events { try emit(event) }
        }
    }
}
