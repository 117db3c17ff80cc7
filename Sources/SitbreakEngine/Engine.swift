/// The break engine: a pure state machine (docs/engine.md).
///
/// Timestamped inputs go in, events come out. It reads no clock and no file and never logs; the
/// live daemon and `sitbreakctl simulate` drive the same engine and differ only in where time and
/// inputs come from.
///
/// Driving it: call ``apply(_:at:)`` for each input in time order; call ``advance(through:)``
/// when the clock reaches ``nextDeadline`` (live) or ``advance(before:)`` at the end of a trace.
public struct Engine: Sendable {
    /// The schedule in force.
    public let schedule: Schedule

    /// The instant up to which timed work is settled; nil before the first call.
    var now: Timestamp?
    /// Inputs were applied at `now`; what they released fires once no more inputs come at `now`.
    var settleAtNow = false
    /// Events produced by the current call, handed out when it returns.
    var output: [Event] = []
    /// While the engine learns of a suspend at resume, every event carries the resume time.
    var emitTimeOverride: Timestamp?

    // Presence.
    /// `active`/`unlock` say input continues until an `idle` says when it stopped.
    var inputOngoing = false
    /// The last input the engine knows of.
    var lastInput = Timestamp.distantPast
    var locked = false
    /// Set from `suspend` until `resume`; the engine learns of the suspend only at resume.
    var suspension: (at: Timestamp, absenceStart: Timestamp)?
    var inhibited = false
    var inhibitorReleasedAt = Timestamp.distantPast
    /// The absence the engine knows of; nil while the person is present.
    var absence: Absence? = Absence(start: .distantPast, silent: true)
    /// Start of the current stretch of presence (sitting), nil while absent.
    var presentSince: Timestamp?
    /// Commands that came while suspended; they take effect at resume.
    var queuedCommands: [Command] = []
    /// Changes between sitting and absence not yet taken (``takePresenceChanges()``).
    var presenceChanges: [PresenceChange] = []

    // Break kinds and reminders.
    var kinds: [KindState]
    let kindIndex: [String: Int]
    var pausedUntil: Timestamp?
    var calendar: ActiveHoursCalendar
    var day: DayState?

    /// A span in which the person is absent.
    struct Absence: Sendable {
        /// When it began (back-dated to the last input for idle).
        var start: Timestamp
        /// Before the first input: absent, but with no `away`, `back` or breaks for that time.
        var silent: Bool
    }

    /// Sitting time of the current local day, for `daily_limit`.
    struct DayState: Sendable {
        var start: Timestamp
        var end: Timestamp
        var meter = SittingMeter()
        var reached = false
        var pending = false
    }

    /// Creates an engine; the person counts as absent until the first input.
    public init(schedule: Schedule, timeZone: any LocalTimeZone = FixedOffsetTimeZone.utc) {
        self.schedule = schedule
        self.kinds = schedule.kinds.map(KindState.init(kind:))
        var index: [String: Int] = [:]
        for (i, kind) in schedule.kinds.enumerated() { index[kind.name] = i }
        self.kindIndex = index
        self.calendar = ActiveHoursCalendar(
            entries: schedule.activeHours, dayStartsMinute: schedule.dayStartsMinute, timeZone: timeZone)
    }

    /// Settles timed work up to and including `time`, then applies `input` at `time`.
    ///
    /// Several inputs at one instant are applied in call order, and only after the last of them
    /// does what they released fire: when time next moves on, or at ``advance(through:)`` for the
    /// same instant. So a `pause` right after the `active` that would release a reminder withholds
    /// it. A `time` earlier than the engine's current instant is taken as the current instant.
    public mutating func apply(_ input: Input, at time: Timestamp) -> [Event] {
        let at = settleBeforeInput(at: time) { _ in }
        return apply(input, settledAt: at)
    }

    /// Applies `input` at `time` as ``apply(_:at:)`` does, handing `body` the events of each
    /// instant settled before the input's effects (possibly none, the last may be `time` itself)
    /// as soon as it is settled; returns the events that remain, those of the input at `time`.
    ///
    /// For a caller that must not hold a long span's events at once (`sitbreakctl simulate` after
    /// years without input): memory stays flat, events stream, and each call of `body` is one
    /// step of the engine.
    public mutating func apply<Failure: Error>(
        _ input: Input, at time: Timestamp, eachInstant body: ([Event]) throws(Failure) -> Void
    ) throws(Failure) -> [Event] {
        let at = try settleBeforeInput(at: time) { (output) throws(Failure) in try body(Self.take(&output)) }
        return apply(input, settledAt: at)
    }

    private mutating func apply(_ input: Input, settledAt at: Timestamp) -> [Event] {
        switch input {
        case .presence(let presence): handle(presence, at: at)
        case .command(let command):
            if suspension != nil { queuedCommands.append(command) } else { handle(command, at: at) }
        }
        settleAtNow = true
        return takeOutput()
    }

    /// Applies a live idle report: at `time` a source learns that the last input was at
    /// `lastInput` (at or before `time`) and that none has come since.
    ///
    /// A trace says `idle` at the last input itself; a live source can only say it later, once it
    /// has seen the quiet (an idle watch firing at the threshold, a poll). Until then the engine
    /// counted the person as present, which is what the rules say for idle shorter than
    /// `idle_threshold`; from here the absence is back-dated to `lastInput` exactly as the trace's
    /// `idle` would have made it, and recognised at once if the threshold has already passed.
    /// While absent (or locked, or suspended, or before any input) it is input at `time`, as
    /// `idle` at `time` would be, only when `lastInput` is later than the last input the engine
    /// knows of; otherwise it says nothing new and changes nothing.
    public mutating func applyIdle(lastInput: Timestamp, at time: Timestamp) -> [Event] {
        let at = settleBeforeInput(at: time) { _ in }
        if suspension == nil, !locked, absence == nil {
            // Never earlier than an input the engine already knows of.
            inputOngoing = false
            self.lastInput = max(self.lastInput, min(lastInput, at))
        } else if lastInput > self.lastInput {
            // Input came during the absence (between two looks of a polled source): it ends the
            // absence now, as `idle` at this instant would.
            handle(.idle, at: at)
        }
        // Otherwise the report only repeats that nothing happened since an input the engine
        // already knows of (a source catching up after a resume): nothing to do.
        settleAtNow = true
        return takeOutput()
    }

    /// Settles everything due up to and including `time`.
    public mutating func advance(through time: Timestamp) -> [Event] {
        start(at: time)
        run(until: time, inclusive: true)
        return takeOutput()
    }

    /// Settles everything due strictly before `time` (a trace's `end`).
    public mutating func advance(before time: Timestamp) -> [Event] {
        start(at: time)
        run(until: time, inclusive: false)
        return takeOutput()
    }

    /// Settles everything due strictly before `time` one instant at a time, handing `body` the
    /// events of each settled instant (possibly none) as soon as it is settled.
    ///
    /// The same work as ``advance(before:)``, for a caller that must not hold a long span's events
    /// at once (`sitbreakctl simulate` over years of sitting): memory stays flat, events stream,
    /// and each call of `body` is one step of the engine. When `body` throws, the engine stays
    /// settled up to the instant whose events it was given.
    public mutating func advance<Failure: Error>(
        before time: Timestamp, eachInstant body: ([Event]) throws(Failure) -> Void
    ) throws(Failure) {
        start(at: time)
        try run(until: time, inclusive: false) { (output) throws(Failure) in try body(Self.take(&output)) }
    }

    /// The next instant at which the engine has timed work, if any; the daemon sleeps until then.
    ///
    /// Nil while suspended: nothing is decided until the resume.
    public var nextDeadline: Timestamp? {
        guard let now, suspension == nil else { return nil }
        if settleAtNow { return now }
        var copy = self
        return copy.nextTimedWork()
    }

    /// The instant up to which the engine has settled; nil before the first call. An input at an
    /// earlier instant would be taken as this one.
    public var currentTime: Timestamp? { now }

    /// Whether the engine was told of a suspend and not yet of the resume.
    public var isSuspended: Bool { suspension != nil }

    /// Settles what is due before an input at `time` and returns the instant the input applies
    /// at (never earlier than the engine's current instant).
    ///
    /// Timed work up to and including `time` is settled first, except that when inputs were
    /// already applied at that instant, what they released must wait for the instant's last input
    /// (docs/engine.md, same-instant order): settling here would fire it between two inputs.
    ///
    /// - Parameter settled: called after each settled instant (see ``run(until:inclusive:settled:)``).
    private mutating func settleBeforeInput<Failure: Error>(
        at time: Timestamp, settled: (inout [Event]) throws(Failure) -> Void
    ) throws(Failure) -> Timestamp {
        start(at: time)
        if !settleAtNow || time > now! { try run(until: time, inclusive: true, settled: settled) }
        // While absent the engine does not wake at day boundaries (nothing can happen there);
        // an input may end the absence, so it must find the day it falls in.
        let at = max(time, now!)
        if suspension == nil { rollDay(at: at) }
        return at
    }

    private mutating func start(at time: Timestamp) {
        guard now == nil else { return }
        now = time
        if schedule.dailyLimit != nil {
            let bounds = calendar.day(containing: time)
            day = DayState(start: bounds.start, end: bounds.end)
        }
    }

    /// Empties `output`, returning what it held.
    private static func take(_ output: inout [Event]) -> [Event] {
        defer { output = [] }
        return output
    }

    private mutating func takeOutput() -> [Event] {
        defer { output = [] }
        return output
    }

    /// Runs timed work in time order up to `limit`.
    mutating func run(until limit: Timestamp, inclusive: Bool) {
        run(until: limit, inclusive: inclusive) { _ in }
    }

    /// Runs timed work in time order up to `limit`, calling `settled` after each instant it
    /// settles, with the events gathered so far (a streaming caller takes them; others let them
    /// gather).
    mutating func run<Failure: Error>(
        until limit: Timestamp, inclusive: Bool, settled: (inout [Event]) throws(Failure) -> Void
    ) throws(Failure) {
        guard suspension == nil, var current = now else { return }
        func within(_ t: Timestamp) -> Bool { t < limit || (inclusive && t == limit) }
        if settleAtNow && within(current) {
            settleAtNow = false
            settle(at: current)
            try settled(&output)
        }
        while let next = nextTimedWork(), within(next) {
            current = next
            now = next
            settle(at: next)
            try settled(&output)
        }
        if inclusive && limit > current { now = limit }
    }

    /// Appends an event at `time` (or at the resume time while learning of a suspend).
    mutating func emit(_ body: Event.Body, at time: Timestamp) {
        output.append(Event(time: emitTimeOverride ?? time, body: body))
    }
}
