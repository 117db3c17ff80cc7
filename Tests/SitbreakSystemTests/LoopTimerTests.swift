import SitbreakSystem
import Testing

/// ``LoopTimer``: fires once at its instant in a real loop, and not after being disarmed.
@Suite struct LoopTimerTests {
    @Test func firesOnceAtItsInstant() throws {
        let loop = try EventLoop()
        var fired: [Int64] = []
        let timer = try LoopTimer(loop: loop) { fired.append(SystemClock.boottimeNanoseconds()) }
        let start = SystemClock.boottimeNanoseconds()
        timer.arm(after: 50_000_000)
        var expired = false
        loop.setTimer(boottimeNanoseconds: start + 400_000_000) { expired = true }
        while !expired { _ = loop.runOnce() }
        #expect(fired.count == 1)
        #expect(fired.first.map { $0 - start >= 50_000_000 && $0 - start < 300_000_000 } == true)
    }

    @Test func aDisarmedTimerStaysQuiet() throws {
        let loop = try EventLoop()
        var fired = 0
        let timer = try LoopTimer(loop: loop) { fired += 1 }
        timer.arm(after: 20_000_000)
        timer.arm(boottimeNanoseconds: nil)
        var expired = false
        loop.setTimer(boottimeNanoseconds: SystemClock.boottimeNanoseconds() + 150_000_000) { expired = true }
        while !expired { _ = loop.runOnce() }
        #expect(fired == 0)
    }
}
