import SitbreakEngine

/// A readable way to drive the engine in tests: inputs at wall-clock times of one day, then the
/// events, as compact strings or whole.
///
///     var s = Scenario(schedule)
///     s.at("09:00", .active)
///     s.at("09:30", .idle)
///     let events = s.end("10:30")
public struct Scenario {
    /// The engine under test.
    public var engine: Engine
    /// The day that bare `HH:MM[:SS]` times fall on.
    public var date: CivilDate
    /// Every event so far.
    public private(set) var events: [Event] = []

    /// Creates a scenario on `date` (default 2026-11-30, a Monday) in `timeZone`, whose times
    /// are UTC unless given with an offset in full RFC 3339.
    public init(
        _ schedule: Schedule, timeZone: any LocalTimeZone = FixedOffsetTimeZone.utc,
        date: CivilDate = CivilDate(year: 2026, month: 11, day: 30)
    ) {
        self.engine = Engine(schedule: schedule, timeZone: timeZone)
        self.date = date
    }

    /// The instant for `HH:MM`, `HH:MM:SS`, `+1 HH:MM` (the next day) or full RFC 3339.
    public func time(_ text: String) -> Timestamp {
        if let full = Timestamp(rfc3339: text) { return full }
        var dayOffset: Int64 = 0
        var clock = Substring(text)
        if clock.hasPrefix("+") {
            let parts = clock.dropFirst().split(separator: " ", maxSplits: 1)
            dayOffset = Int64(parts[0])!
            clock = parts[1]
        }
        let parts = clock.split(separator: ":").map { Int64($0)! }
        let seconds = parts[0] * 3600 + parts[1] * 60 + (parts.count > 2 ? parts[2] : 0)
        return Timestamp(secondsSinceEpoch: (date.daysSinceEpoch + dayOffset) * 86400 + seconds)
    }

    /// Applies a presence input at `time`.
    public mutating func at(_ time: String, _ presence: Presence) {
        events += engine.apply(.presence(presence), at: self.time(time))
    }

    /// Applies a live idle report at `time`: the last input was at `lastInput`.
    public mutating func at(_ time: String, idleSince lastInput: String) {
        events += engine.applyIdle(lastInput: self.time(lastInput), at: self.time(time))
    }

    /// Applies a command at `time`.
    public mutating func at(_ time: String, _ command: Command) {
        events += engine.apply(.command(command), at: self.time(time))
    }

    /// Settles everything before `time` and returns all events of the scenario.
    @discardableResult
    public mutating func end(_ time: String) -> [Event] {
        events += engine.advance(before: self.time(time))
        return events
    }

    /// Events as short strings, e.g. `09:50 reminder walk nag=0 covers=posture`, for readable
    /// expectations. Times show `HH:MM[:SS]` of the scenario's day, `+N HH:MM` after it.
    public var summary: [String] { events.map(describe) }

    /// One event as a short string (see ``summary``), derived from the event's fields: names
    /// bare, counts and durations as `name=value` (durations without their `_s`), flags by name
    /// when true, times as `name=HH:MM`, lists as `name=a,b` when not empty; prose is left out.
    public func describe(_ event: Event) -> String {
        var parts = [clock(event.time), event.name]
        for field in event.fields where field.inSummary {
            switch field.value {
            case .name(let name): parts.append(name)
            case .text: break
            case .integer(let n): parts.append("\(field.name)=\(n)")
            case .seconds(let n):
                let name = field.name.hasSuffix("_s") ? String(field.name.dropLast(2)) : field.name
                parts.append("\(name)=\(n)")
            case .flag(let flag): if flag { parts.append(field.name) }
            case .time(let instant): parts.append("\(field.name)=\(clock(instant))")
            case .names(let names): if !names.isEmpty { parts.append("\(field.name)=\(names.joined(separator: ","))") }
            }
        }
        return parts.joined(separator: " ")
    }

    /// `HH:MM[:SS]` on the scenario's day, `+N HH:MM[:SS]` on another.
    private func clock(_ instant: Timestamp) -> String {
        let secs = instant.secondsSinceEpoch - date.daysSinceEpoch * 86400
        let day = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rest = secs - day * 86400
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var clock = "\(two(rest / 3600)):\(two(rest / 60 % 60))"
        if rest % 60 != 0 { clock += ":\(two(rest % 60))" }
        if day != 0 { clock = "+\(day) \(clock)" }
        return clock
    }
}
