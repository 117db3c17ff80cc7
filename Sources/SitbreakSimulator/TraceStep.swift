import SitbreakEngine

/// One meaningful trace line: an instant and what happens at it.
public struct TraceStep: Hashable, Sendable {
    /// What a trace line asks for.
    public enum Action: Hashable, Sendable {
        /// An input for the engine.
        case input(Input)
        /// The end of the simulation: nothing at or after this instant is emitted.
        case end
    }

    /// The line's time.
    public var time: Timestamp
    /// The line's input, or `end`.
    public var action: Action

    /// Creates a step.
    public init(time: Timestamp, action: Action) {
        self.time = time
        self.action = action
    }
}
