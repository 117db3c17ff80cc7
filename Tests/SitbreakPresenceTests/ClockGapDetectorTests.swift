import Testing

@testable import SitbreakPresence

/// Suspend by clock gap (issue 4), through hand-written clock samples.
@Suite struct ClockGapDetectorTests {
    static let second: Int64 = 1_000_000_000

    /// A sample with CLOCK_BOOTTIME at `boot` and CLOCK_MONOTONIC at `mono` seconds.
    static func sample(_ boot: Double, _ mono: Double) -> ClockGapDetector.Sample {
        ClockGapDetector.Sample(
            boottimeNanoseconds: Int64(boot * 1e9), monotonicNanoseconds: Int64(mono * 1e9))
    }

    /// Feeds `samples` in order and returns what each observation reported.
    static func observe(_ samples: [ClockGapDetector.Sample]) -> [ClockGapDetector.Gap?] {
        var detector = ClockGapDetector()
        return samples.map { detector.observe($0) }
    }

    @Test func noGapWhileBothClocksRunTogether() {
        let gaps = Self.observe([
            Self.sample(100, 90), Self.sample(160, 150), Self.sample(3700, 3690), Self.sample(3700.5, 3690.5),
        ])
        #expect(gaps == [nil, nil, nil, nil])
    }

    @Test func theFirstSampleOnlySetsTheBaseline() {
        // Boot time far ahead of monotonic time at the first sample is an earlier suspend, from
        // before the daemon started: not one it should report.
        var detector = ClockGapDetector()
        #expect(detector.observe(Self.sample(5000, 100)) == nil)
        #expect(detector.observe(Self.sample(5010, 110)) == nil)
    }

    @Test(arguments: [0.000_003, 0.5, 1.999, 2.0])
    func growthUpToTheThresholdIsNotASuspend(growth: Double) {
        let gaps = Self.observe([Self.sample(100, 90), Self.sample(130 + growth, 120)])
        #expect(gaps == [nil, nil])
    }

    @Test func growthJustAboveTheThresholdIsASuspend() {
        var detector = ClockGapDetector()
        _ = detector.observe(ClockGapDetector.Sample(boottimeNanoseconds: 100 * Self.second, monotonicNanoseconds: 0))
        let gap = detector.observe(
            ClockGapDetector.Sample(boottimeNanoseconds: 112 * Self.second + 1, monotonicNanoseconds: 10 * Self.second))
        #expect(
            gap
                == ClockGapDetector.Gap(
                    suspendedAtBoottimeNanoseconds: 110 * Self.second,
                    resumedAtBoottimeNanoseconds: 112 * Self.second + 1))
    }

    @Test func oneLongSuspendEndsAtTheNewSampleAndLastsTheGrowth() throws {
        // Monotonic time moved 5 s (awake), boot time 305 s: 300 s asleep, which began 5 s of
        // awake time after the previous sample.
        let gaps = Self.observe([Self.sample(100, 90), Self.sample(405, 95), Self.sample(406, 96)])
        #expect(gaps.count == 3)
        #expect(gaps[0] == nil)
        let gap = try #require(gaps[1])
        #expect(gap.suspendedAtBoottimeNanoseconds == 105 * Self.second)
        #expect(gap.resumedAtBoottimeNanoseconds == 405 * Self.second)
        #expect(gap.nanoseconds == 300 * Self.second)
        #expect(gaps[2] == nil, "the new difference is the new baseline")
    }

    @Test func twoSuspendsAreReportedSeparately() {
        let gaps = Self.observe([
            Self.sample(100, 90),
            Self.sample(700, 100),  // 590 s asleep
            Self.sample(710, 110),
            Self.sample(720, 120),
            Self.sample(4330, 130),  // 3600 s asleep
            Self.sample(4331, 131),
        ])
        #expect(
            gaps == [
                nil,
                ClockGapDetector.Gap(
                    suspendedAtBoottimeNanoseconds: 110 * Self.second, resumedAtBoottimeNanoseconds: 700 * Self.second),
                nil, nil,
                ClockGapDetector.Gap(
                    suspendedAtBoottimeNanoseconds: 730 * Self.second, resumedAtBoottimeNanoseconds: 4330 * Self.second),
                nil,
            ])
    }

    @Test func smallGrowthsDoNotAddUpToASuspend() {
        // Each step grows the difference by 1.5 s: below the threshold every time, though 4.5 s
        // in all; each wake-up compares with the one before.
        let gaps = Self.observe([
            Self.sample(100, 90), Self.sample(111.5, 100), Self.sample(123, 110), Self.sample(134.5, 120),
        ])
        #expect(gaps == [nil, nil, nil, nil])
    }

    @Test func aShrinkingDifferenceIsNotASuspend() {
        let gaps = Self.observe([Self.sample(100, 90), Self.sample(100, 95)])
        #expect(gaps == [nil, nil])
    }

    @Test func aCustomThresholdApplies() {
        var detector = ClockGapDetector(thresholdNanoseconds: 30 * Self.second)
        _ = detector.observe(Self.sample(100, 90))
        #expect(detector.observe(Self.sample(130, 100)) == nil)  // 20 s
        #expect(detector.observe(Self.sample(180, 110)) != nil)  // 40 s
    }
}
