import SitbreakEngine
import SitbreakTesting
import Testing

/// Properties that hold for every trace, checked over generated ones.
@Suite struct PropertyTests {
    static let schedules: [Schedule] = [
        Schedules.traces,
        Schedules.threeKinds,
        Schedule(
            idleThreshold: 60, coalesce: 300, dailyLimit: 4 * 3600, inhibitorsCountAsSitting: false,
            activeHours: [
                ActiveHoursEntry(
                    days: [.monday, .tuesday, .wednesday, .thursday, .friday], startMinute: 480, endMinute: 1080),
                ActiveHoursEntry(days: [.saturday], startMinute: 1320, endMinute: 120),
            ],
            kinds: [
                BreakKind(name: "eyes", every: 600, duration: 0),
                BreakKind(name: "walk", every: 1800, duration: 180, renotify: 120, maxNags: nil, maxSnoozes: nil),
                BreakKind(name: "stretch", every: 3600, duration: 30, renotify: 600, maxNags: 1, maxSnoozes: 1),
            ]),
    ]
    static let seeds: [UInt64] = Array(1...40)
    static let start = Timestamp(rfc3339: "2026-11-30T07:00:00Z")!

    struct Case: CustomTestStringConvertible, Sendable {
        let schedule: Schedule
        let steps: [TraceStep]
        let end: Timestamp
        let seed: UInt64
        var testDescription: String { "seed \(seed), \(schedule.kinds.count) kinds" }
    }

    static var cases: [Case] {
        seeds.map { seed in
            let schedule = schedules[Int(seed) % schedules.count]
            var generator = TraceGenerator(kindNames: schedule.kinds.map(\.name), seed: seed)
            let trace = generator.trace(count: 400, start: start)
            return Case(schedule: schedule, steps: trace.steps, end: trace.end, seed: seed)
        }
    }

    func run(_ c: Case) -> [Event] {
        TraceGenerator.simulate(c.schedule, timeZone: EuropeanSummerTimeZone(), steps: c.steps, end: c.end)
    }

    @Test(arguments: cases) func sameInputGivesByteIdenticalOutput(c: Case) {
        let first = run(c).map(\.jsonLine).joined(separator: "\n")
        let second = run(c).map(\.jsonLine).joined(separator: "\n")
        #expect(first == second)
        #expect(!first.isEmpty)
    }

    @Test(arguments: cases) func timesNeverGoBackwards(c: Case) {
        let events = run(c)
        for (a, b) in zip(events, events.dropFirst()) { #expect(a.time <= b.time) }
        #expect(events.allSatisfy { $0.time >= c.steps[0].time && $0.time < c.end })
    }

    @Test(arguments: cases) func noReminderWhileAbsent(c: Case) {
        // Absent as the engine reports it (away … back) …
        var away = false
        for event in run(c) {
            switch event.body {
            case .away: away = true
            case .back: away = false
            case .reminder, .dailyLimit: #expect(!away, "\(event.jsonLine) while away")
            default: break
            }
        }
        // … and as the inputs say: never inside a lock or a suspend. (At its end an input at the
        // same instant may already have brought the person back.)
        var spans: [(Timestamp, Timestamp)] = []
        var lockedAt: Timestamp?
        var suspendedAt: Timestamp?
        for step in c.steps {
            guard case .presence(let p) = step.input else { continue }
            switch p {
            case .lock where lockedAt == nil: lockedAt = step.time
            case .unlock:
                if let l = lockedAt { spans.append((l, step.time)) }
                lockedAt = nil
            case .suspend: suspendedAt = step.time
            case .resume:
                if let s = suspendedAt { spans.append((s, step.time)) }
                suspendedAt = nil
            default: break
            }
        }
        if let l = lockedAt { spans.append((l, c.end)) }
        for event in run(c) where event.name == "reminder" {
            for span in spans {
                let inside = event.time > span.0 && event.time < span.1
                #expect(!inside, "\(event.jsonLine) inside a lock or suspend \(span.0)–\(span.1)")
            }
        }
    }

    @Test(arguments: cases) func everyBreakFollowsALongEnoughAbsence(c: Case) {
        let durations = Dictionary(uniqueKeysWithValues: c.schedule.kinds.map { ($0.name, $0.duration) })
        var since: Timestamp?
        for event in run(c) {
            switch event.body {
            case .away(let s): since = s
            case .back: since = nil
            case .breakTaken(let kind, _, let manual, let awaySeconds) where !manual:
                guard let since else {
                    Issue.record("\(event.jsonLine) without an absence")
                    continue
                }
                #expect(awaySeconds == event.time - since)
                #expect(awaySeconds >= durations[kind]!, "\(event.jsonLine)")
                // No input that ends an absence came between its start and the break.
                for step in c.steps where step.time > since && step.time < event.time {
                    if case .presence(let p) = step.input {
                        #expect(p != .unlock, "\(event.jsonLine) but unlock at \(step.time)")
                    }
                }
            default: break
            }
        }
    }

    @Test(arguments: cases) func afterAResetTheFirstReminderNeedsEverySitting(c: Case) {
        let kinds = Dictionary(uniqueKeysWithValues: c.schedule.kinds.map { ($0.name, $0) })
        var resetAt: [String: Timestamp] = [:]
        var remindedSinceReset: Set<String> = []
        for name in kinds.keys { resetAt[name] = c.steps[0].time }
        func reset(_ name: String, _ t: Timestamp) {
            resetAt[name] = t
            remindedSinceReset.remove(name)
        }
        for event in run(c) {
            switch event.body {
            case .reminder(let r):
                let kind = kinds[r.kind]!
                if !remindedSinceReset.contains(r.kind) {
                    #expect(r.sittingSeconds >= kind.every, "\(event.jsonLine)")
                    #expect(event.time - resetAt[r.kind]! >= kind.every, "\(event.jsonLine)")
                }
                for covered in r.covers where !remindedSinceReset.contains(covered) {
                    let k = kinds[covered]!
                    let slack = k.isNudge ? c.schedule.coalesce : 0
                    #expect(event.time - resetAt[covered]! >= k.every - slack, "\(covered) in \(event.jsonLine)")
                }
                for name in [r.kind] + r.covers {
                    if kinds[name]!.isNudge { reset(name, event.time) } else { remindedSinceReset.insert(name) }
                }
            case .breakTaken(let kind, _, _, _), .skipped(let kind):
                reset(kind, event.time)
            case .away:
                for kind in kinds.values where kind.isNudge { reset(kind.name, event.time) }
            default: break
            }
        }
    }

    @Test(arguments: cases) func causal(c: Case) {
        // What happened before an instant does not depend on what came after it.
        let full = run(c)
        let cut = c.steps[c.steps.count / 2].time
        let prefix = TraceGenerator.simulate(
            c.schedule, timeZone: EuropeanSummerTimeZone(), steps: c.steps.filter { $0.time < cut }, end: cut)
        #expect(prefix == full.filter { $0.time < cut })
    }

    @Test(arguments: cases) func liveDrivingGivesTheSameEvents(c: Case) {
        let live = TraceGenerator.driveLive(c.schedule, timeZone: EuropeanSummerTimeZone(), steps: c.steps, end: c.end)
        #expect(live == run(c))
    }
}
