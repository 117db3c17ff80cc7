import Testing

@testable import SitbreakPresence

/// The KDE source's decisions (issue 4): what to report and when to ask for the idle time again.
@Suite struct SessionIdlePollerTests {
    static let s: Int64 = 1_000_000_000

    /// One look at `now` seconds finding `idle` seconds of idle time; the poller reports `report`
    /// and looks next at `next` seconds. `lastInput` of an idle report is `now − idle`.
    struct Look: CustomStringConvertible, Sendable {
        var now: Int64
        var idle: Int64
        var report: String?
        var next: Int64
        var description: String { "at \(now) idle \(idle) → \(report ?? "-") next \(next)" }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var threshold: Int64 = 60
        var recheck: Int64? = 10
        var looks: [Look]
        var testDescription: String { name }
    }

    static func look(_ now: Int64, idle: Int64, _ report: String?, next: Int64) -> Look {
        Look(now: now, idle: idle, report: report, next: next)
    }

    static let cases: [Case] = [
        Case(
            name: "recent input is active; the next look is when it would turn idle",
            looks: [look(1000, idle: 10, "active", next: 1050)]),
        Case(
            name: "idle at the first look reports nothing: absent until the first input",
            looks: [look(1000, idle: 100, nil, next: 1010), look(1010, idle: 110, nil, next: 1020)]),
        Case(
            name: "active then quiet: idle at last input plus threshold, back-dated, once",
            looks: [
                look(1000, idle: 10, "active", next: 1050), look(1050, idle: 60, "idle 990", next: 1060),
                look(1060, idle: 70, nil, next: 1070),
            ]),
        Case(
            name: "input while active postpones the look and reports nothing",
            looks: [
                look(1000, idle: 10, "active", next: 1050), look(1050, idle: 5, nil, next: 1105),
                look(1105, idle: 60, "idle 1045", next: 1115),
            ]),
        Case(
            name: "input while idle is active at the next recheck",
            looks: [
                look(1000, idle: 10, "active", next: 1050), look(1050, idle: 60, "idle 990", next: 1060),
                look(1060, idle: 3, "active", next: 1117),
            ]),
        Case(
            name: "input between two looks that is already a threshold old reports idle at it",
            recheck: 100,
            looks: [
                look(1000, idle: 10, "active", next: 1050), look(1050, idle: 60, "idle 990", next: 1150),
                look(1150, idle: 80, "idle 1070", next: 1250), look(1250, idle: 180, nil, next: 1350),
            ]),
        Case(
            name: "the default recheck is one second for long thresholds",
            threshold: 120, recheck: nil,
            looks: [look(1000, idle: 200, nil, next: 1001), look(1001, idle: 201, nil, next: 1002)]),
    ]

    @Test(arguments: cases) func looks(_ testCase: Case) {
        var poller = SessionIdlePoller(
            thresholdNanoseconds: testCase.threshold * Self.s, recheckNanoseconds: testCase.recheck.map { $0 * Self.s })
        for look in testCase.looks {
            let decision = poller.look(now: look.now * Self.s, idleNanoseconds: look.idle * Self.s)
            let report: String? =
                switch decision.report {
                case .active?: "active"
                case .idle(let lastInput)?: "idle \(lastInput / Self.s)"
                case nil: nil
                default: "unexpected \(decision.report!)"
                }
            #expect(report == look.report, "\(look)")
            #expect(decision.nextLook == look.next * Self.s, "\(look)")
        }
    }

    @Test func theRecheckIsHalfAShortThreshold() {
        #expect(SessionIdlePoller.defaultRecheck(thresholdNanoseconds: 120 * Self.s) == Self.s)
        #expect(SessionIdlePoller.defaultRecheck(thresholdNanoseconds: 2 * Self.s) == Self.s)
        #expect(SessionIdlePoller.defaultRecheck(thresholdNanoseconds: Self.s) == Self.s / 2)
    }

    @Test func afterAResumeOnlyNewerInputIsActive() {
        // Active before the sleep; the X server's idle time stood still while the machine slept, so
        // at the resume it still says 30 s.
        var poller = SessionIdlePoller(thresholdNanoseconds: 60 * Self.s, recheckNanoseconds: Self.s)
        #expect(poller.look(now: 1000 * Self.s, idleNanoseconds: 20 * Self.s).report == .active)
        poller.machineResumed(now: 5000 * Self.s, idleNanoseconds: 30 * Self.s)
        // The same input seen again is not new, within the threshold or beyond it.
        var decision = poller.look(now: 5001 * Self.s, idleNanoseconds: 31 * Self.s + 2_000_000)
        #expect(decision == .init(report: nil, nextLook: 5002 * Self.s))
        decision = poller.look(now: 5040 * Self.s, idleNanoseconds: 70 * Self.s)
        #expect(decision == .init(report: nil, nextLook: 5041 * Self.s))
        // New input is.
        #expect(poller.look(now: 5050 * Self.s, idleNanoseconds: 2 * Self.s).report == .active)
    }

    @Test func jitterOfTheIdleTimeWhileIdleReportsNothing() {
        // Each round trip measures the idle time a little differently: the computed last input
        // moves by milliseconds, which is not input.
        var poller = SessionIdlePoller(thresholdNanoseconds: 60 * Self.s, recheckNanoseconds: Self.s)
        _ = poller.look(now: 1000 * Self.s, idleNanoseconds: 10 * Self.s)
        #expect(poller.look(now: 1050 * Self.s, idleNanoseconds: 60 * Self.s).report != nil)
        for i in Int64(1)...5 {
            let now = (1050 + i) * Self.s
            let jitter: Int64 = (i % 2 == 0 ? 3 : -3) * 1_000_000
            #expect(poller.look(now: now, idleNanoseconds: (60 + i) * Self.s + jitter).report == nil)
        }
    }
}
