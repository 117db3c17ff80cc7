import Testing

@testable import SitbreakPresence

/// Dating swayidle's `idle` when the compositor's monotonic timer may span a suspend, with
/// injected clock readings.
struct SwayidleClockTests {
    static let second: Int64 = 1_000_000_000

    @Test func withoutASuspendIdleIsOneTimeoutAgo() {
        // CLOCK_BOOTTIME is 100 s ahead of CLOCK_MONOTONIC (earlier suspends) throughout.
        let clock = SwayidleClock(boottime: 1_000 * Self.second, monotonic: 900 * Self.second)
        #expect(
            clock.lastInput(boottime: 1_130 * Self.second, monotonic: 1_030 * Self.second, timeout: 120 * Self.second)
                == 1_010 * Self.second)
    }

    @Test func anIdleWhoseTimerSpannedASuspendIsNotDated() {
        var clock = SwayidleClock(boottime: 1_000 * Self.second, monotonic: 900 * Self.second)
        // Input, then an hour of suspend 30 s later; the timer fires 90 s after the resume.
        clock.timerRestarted(boottime: 1_100 * Self.second, monotonic: 1_000 * Self.second)
        #expect(
            clock.lastInput(boottime: 4_820 * Self.second, monotonic: 1_120 * Self.second, timeout: 120 * Self.second)
                == nil)
    }

    @Test func anInputAfterTheSuspendDatesIdleAgain() {
        var clock = SwayidleClock(boottime: 1_000 * Self.second, monotonic: 900 * Self.second)
        // A suspend of an hour, then `active`: the timer restarted after it.
        clock.timerRestarted(boottime: 4_700 * Self.second, monotonic: 1_000 * Self.second)
        #expect(
            clock.lastInput(boottime: 4_900 * Self.second, monotonic: 1_200 * Self.second, timeout: 120 * Self.second)
                == 4_780 * Self.second)
    }

    @Test func clockReadingJitterIsNoSuspend() {
        let clock = SwayidleClock(boottime: 1_000 * Self.second, monotonic: 900 * Self.second)
        #expect(
            clock.lastInput(
                boottime: 1_200 * Self.second + 1_000, monotonic: 1_100 * Self.second, timeout: 120 * Self.second)
                == 1_080 * Self.second + 1_000)
    }
}
