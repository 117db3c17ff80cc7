import SitbreakEngine

/// Drives the engine with trace steps, the way `sitbreakctl simulate` does.
///
/// Steps must already be valid (see ``TraceParser``); the runner only feeds them in.
public struct TraceRunner: Sendable {
    /// The engine being driven.
    public private(set) var engine: Engine
    /// Whether the `end` step has been applied; later steps are ignored.
    public private(set) var isFinished = false

    /// Creates a runner with a fresh engine.
    public init(schedule: Schedule, timeZone: any LocalTimeZone) {
        engine = Engine(schedule: schedule, timeZone: timeZone)
    }

    /// Applies one step and returns the events it produced.
    ///
    /// At `end` the engine settles only what is due strictly before that instant: the simulation
    /// emits nothing at or after `end` (docs/engine.md §9).
    public mutating func apply(_ step: TraceStep) -> [Event] {
        guard !isFinished else { return [] }
        switch step.action {
        case .input(let input):
            return engine.apply(input, at: step.time)
        case .end:
            isFinished = true
            return engine.advance(before: step.time)
        }
    }
}
