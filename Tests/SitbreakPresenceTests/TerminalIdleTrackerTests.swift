import SitbreakEngine
import Testing

@testable import SitbreakPresence

/// The terminal source's decisions (issue 4): what to deliver and when to look next.
@Suite struct TerminalIdleTrackerTests {
    static let s: Int64 = 1_000_000_000

    /// One look: at `now` seconds, the access time is `atime` seconds; the tracker answers
    /// `deliver` and looks next at `next` seconds.
    struct Look: CustomStringConvertible, Sendable {
        var now: Int64
        var atime: Int64
        var deliver: Presence?
        var next: Int64
        var description: String { "at \(now) atime \(atime) → \(deliver.map(\.rawValue) ?? "-") next \(next)" }
    }

    /// A named sequence of looks with a 60 s threshold and a 60 s recheck unless given (nil:
    /// the tracker's default).
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var threshold: Int64 = 60
        var recheck: Int64? = 60
        var looks: [Look]
        var testDescription: String { name }
    }

    static func look(_ now: Int64, _ atime: Int64, _ deliver: Presence?, next: Int64) -> Look {
        Look(now: now, atime: atime, deliver: deliver, next: next)
    }

    static let cases: [Case] = [
        Case(
            name: "recent input at the first look is active, next look when it would turn idle",
            looks: [look(1000, 990, .active, next: 1050)]),
        Case(
            name: "idle at the first look delivers nothing: absent until the first input",
            looks: [look(1000, 900, nil, next: 1060), look(1060, 900, nil, next: 1120)]),
        Case(
            name: "active then no input: idle exactly at atime plus threshold, once",
            looks: [
                look(1000, 990, .active, next: 1050), look(1050, 990, .idle, next: 1110),
                look(1110, 990, nil, next: 1170),
            ]),
        Case(
            name: "input before the idle instant postpones the look without a new delivery",
            looks: [
                look(1000, 990, .active, next: 1050), look(1050, 1040, nil, next: 1100),
                look(1100, 1099, nil, next: 1159), look(1159, 1099, .idle, next: 1219),
            ]),
        Case(
            name: "input while idle is active, then idle again after the threshold",
            looks: [
                look(1000, 990, .active, next: 1050), look(1050, 990, .idle, next: 1110),
                look(1110, 1100, .active, next: 1160), look(1160, 1100, .idle, next: 1220),
            ]),
        Case(
            name: "input first seen after start when idle at start",
            looks: [look(1000, 100, nil, next: 1060), look(1060, 1030, .active, next: 1090)]),
        Case(
            name: "input that came and went between two late looks is reported as idle",
            looks: [
                look(1000, 990, .active, next: 1050), look(1050, 990, .idle, next: 1110),
                // The look ran 200 s late (a loaded machine): the keystroke at 1200 is already
                // older than the threshold.
                look(1310, 1200, .idle, next: 1370), look(1370, 1200, nil, next: 1430),
            ]),
        Case(
            name: "a stale input first seen when idle at start is reported as idle",
            looks: [look(1000, 100, nil, next: 1060), look(1200, 1100, .idle, next: 1260)]),
        Case(
            name: "an access time in the future counts as input now, and the look is within the threshold",
            looks: [look(1000, 5000, .active, next: 1060), look(1060, 5000, nil, next: 1120)]),
        Case(
            name: "the boundary: idle at exactly atime plus threshold, active one second before",
            threshold: 60,
            looks: [look(1000, 941, .active, next: 1001), look(1001, 941, .idle, next: 1061)]),
        Case(
            name: "a short recheck while idle lowers the latency of the next active",
            threshold: 60, recheck: 5,
            looks: [
                look(1000, 990, .active, next: 1050), look(1050, 990, .idle, next: 1055),
                look(1055, 990, nil, next: 1060), look(1060, 1058, .active, next: 1118),
            ]),
        Case(
            name: "a one-second threshold and recheck",
            threshold: 1, recheck: 1,
            looks: [
                look(1000, 1000, .active, next: 1001), look(1001, 1000, .idle, next: 1002),
                look(1002, 1000, nil, next: 1003), look(1003, 1003, .active, next: 1004),
            ]),
        Case(
            name: "the default recheck is half the threshold, so input just after a look is still recent",
            threshold: 60, recheck: nil,
            looks: [
                look(1000, 990, .active, next: 1050), look(1050, 990, .idle, next: 1080),
                look(1080, 1051, .active, next: 1111), look(1111, 1051, .idle, next: 1141),
            ]),
    ]

    @Test(arguments: cases)
    func decisions(_ c: Case) {
        var tracker = TerminalIdleTracker(
            thresholdNanoseconds: c.threshold * Self.s, recheckNanoseconds: c.recheck.map { $0 * Self.s })
        for look in c.looks {
            let decision = tracker.check(now: look.now * Self.s, accessTime: look.atime * Self.s)
            #expect(
                decision == TerminalIdleTracker.Decision(deliver: look.deliver, nextCheck: look.next * Self.s),
                "\(look)")
        }
    }

    @Test func oneNanosecondBeforeTheIdleInstantIsStillActive() {
        var tracker = TerminalIdleTracker(thresholdNanoseconds: 60 * Self.s)
        #expect(tracker.check(now: 1000 * Self.s, accessTime: 990 * Self.s).deliver == .active)
        let before = tracker.check(now: 1050 * Self.s - 1, accessTime: 990 * Self.s)
        #expect(before == TerminalIdleTracker.Decision(deliver: nil, nextCheck: 1050 * Self.s))
        #expect(tracker.check(now: 1050 * Self.s, accessTime: 990 * Self.s).deliver == .idle)
    }

    @Test func theStateFollowsTheDeliveries() {
        var tracker = TerminalIdleTracker(thresholdNanoseconds: 60 * Self.s)
        #expect(tracker.state == .unknown)
        _ = tracker.check(now: 1000 * Self.s, accessTime: 990 * Self.s)
        #expect(tracker.state == .active(lastInput: 990 * Self.s))
        _ = tracker.check(now: 1050 * Self.s, accessTime: 990 * Self.s)
        #expect(tracker.state == .idle(lastInput: 990 * Self.s))
    }

    /// Whatever the sequence of access times, the tracker never looks later than one recheck
    /// (or one threshold) ahead, never in the past, and never delivers the same input twice in a
    /// row except `idle` for a stale input that came between two looks.
    @Test func invariantsOverPseudoRandomSequences() {
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int64) -> Int64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<200 {
            var tracker = TerminalIdleTracker(thresholdNanoseconds: 10 * Self.s, recheckNanoseconds: 10 * Self.s)
            var now: Int64 = 1_000 * Self.s
            var atime: Int64 = now - next(30) * Self.s
            var last: Presence?
            for _ in 0..<50 {
                let decision = tracker.check(now: now, accessTime: atime)
                #expect(decision.nextCheck > now)
                #expect(decision.nextCheck <= now + 10 * Self.s)
                if let delivered = decision.deliver {
                    #expect(delivered == .active || delivered == .idle)
                    if delivered == .active { #expect(last != .active) }
                    last = delivered
                }
                // Sometimes input happens before the next look; the look sometimes runs late.
                let lookAt = decision.nextCheck + next(3) * Self.s
                if next(2) == 0 { atime = now + next(max(1, (lookAt - now) / Self.s)) * Self.s }
                now = lookAt
            }
        }
    }

    @Test func afterAResumeOnlyNewerInputIsActive() {
        var tracker = TerminalIdleTracker(thresholdNanoseconds: 60 * Self.s, recheckNanoseconds: 10 * Self.s)
        #expect(tracker.check(now: 1000 * Self.s, accessTime: 995 * Self.s).deliver == .active)
        // Slept from 1000 to 4000; the terminal was last read at 995.
        tracker.machineResumed(accessTime: 995 * Self.s)
        #expect(
            tracker.check(now: 4000 * Self.s, accessTime: 995 * Self.s) == .init(deliver: nil, nextCheck: 4010 * Self.s)
        )
        #expect(tracker.check(now: 4010 * Self.s, accessTime: 4005 * Self.s).deliver == .active)
    }
}
