import SitbreakEngine

/// Schedules used across tests.
public enum Schedules {
    /// The configuration of the example traces: walk (50m/5m) and posture (20m nudge).
    public static let traces = Schedule(kinds: [
        BreakKind(name: "walk", every: 3000, duration: 300),
        BreakKind(name: "posture", every: 1200, duration: 0),
    ])

    /// Walk, posture and stretch as in the built-in default (without texts).
    public static let threeKinds = Schedule(kinds: [
        BreakKind(name: "posture", every: 1200, duration: 0),
        BreakKind(name: "walk", every: 3000, duration: 300),
        BreakKind(name: "stretch", every: 7200, duration: 600),
    ])

    /// `base` with some fields changed.
    public static func with(_ base: Schedule, _ change: (inout Schedule) -> Void) -> Schedule {
        var copy = base
        change(&copy)
        return copy
    }
}
