import SitbreakEngine

/// A small deterministic random number generator (SplitMix64), so generated traces repeat.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One line of a generated trace.
public struct TraceStep: Hashable, Sendable {
    /// When.
    public var time: Timestamp
    /// What.
    public var input: Input
}

/// Generates valid random traces: presence that follows the rules of docs/engine.md §9 (only
/// `resume` while suspended) and a sprinkling of commands, some of which the engine refuses.
public struct TraceGenerator {
    /// The kinds commands may name (plus one unknown kind).
    public var kindNames: [String]
    private var random: SplitMix64

    /// Creates a generator for a schedule's kinds.
    public init(kindNames: [String], seed: UInt64) {
        self.kindNames = kindNames
        self.random = SplitMix64(seed: seed)
    }

    /// A trace of about `count` inputs starting at `start`, and the instant of its `end`.
    public mutating func trace(count: Int, start: Timestamp) -> (steps: [TraceStep], end: Timestamp) {
        var steps: [TraceStep] = []
        var t = start
        var suspended = false
        for _ in 0..<count {
            // Mostly short gaps, some long ones, some inputs at the same instant.
            let gap: Int64
            switch Int.random(in: 0..<10, using: &random) {
            case 0: gap = 0
            case 1...5: gap = Int64.random(in: 1...300, using: &random)
            case 6...8: gap = Int64.random(in: 300...3600, using: &random)
            default: gap = Int64.random(in: 3600...30000, using: &random)
            }
            t = t + gap
            let input: Input
            if suspended {
                if Int.random(in: 0..<3, using: &random) == 0 {
                    input = .command(randomCommand())
                } else {
                    input = .presence(.resume)
                    suspended = false
                }
            } else if Int.random(in: 0..<4, using: &random) == 0 {
                input = .command(randomCommand())
            } else {
                let presence = Presence.allCases.randomElement(using: &random)!
                if presence == .suspend { suspended = true }
                if presence == .resume { continue }
                input = .presence(presence)
            }
            steps.append(TraceStep(time: t, input: input))
        }
        return (steps, t + Int64.random(in: 1...7200, using: &random))
    }

    private mutating func randomCommand() -> Command {
        let names = kindNames + ["nosuchkind"]
        let name = names.randomElement(using: &random)!
        let duration: Seconds? = Bool.random(using: &random) ? nil : Int64.random(in: 0...3600, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return .snooze(.kind(name), duration: duration)
        case 1: return .snooze(.all, duration: duration)
        case 2: return .skip(kind: name)
        case 3: return .done(kind: name)
        case 4: return .pause(duration.map { .duration($0) } ?? .default)
        case 5: return Bool.random(using: &random) ? .pause(.unbounded) : .resumeReminders
        default: return .resumeReminders
        }
    }

    /// Runs `steps` through a fresh engine the way `sitbreakctl simulate` does.
    public static func simulate(
        _ schedule: Schedule, timeZone: any LocalTimeZone = FixedOffsetTimeZone.utc, steps: [TraceStep],
        end: Timestamp
    ) -> [Event] {
        var engine = Engine(schedule: schedule, timeZone: timeZone)
        var events: [Event] = []
        for step in steps { events += engine.apply(step.input, at: step.time) }
        events += engine.advance(before: end)
        return events
    }

    /// Runs `steps` the way the live daemon does: sleeping until each deadline, waking for each
    /// input.
    public static func driveLive(
        _ schedule: Schedule, timeZone: any LocalTimeZone = FixedOffsetTimeZone.utc, steps: [TraceStep],
        end: Timestamp
    ) -> [Event] {
        var engine = Engine(schedule: schedule, timeZone: timeZone)
        var events: [Event] = []
        for step in steps {
            while let deadline = engine.nextDeadline, deadline < step.time {
                events += engine.advance(through: deadline)
            }
            events += engine.apply(step.input, at: step.time)
        }
        while let deadline = engine.nextDeadline, deadline < end {
            events += engine.advance(through: deadline)
        }
        return events
    }
}
