import Testing

@testable import SitbreakPresence

/// The back-off and retry decisions of the swayidle source, with injected instants.
struct SwayidleSupervisionTests {
    static let second = SwayidleSupervision.second
    static let socket = SwayidleSupervision.SocketIdentity(device: 1, inode: 10, changed: 100)
    static let restarted = SwayidleSupervision.SocketIdentity(device: 1, inode: 11, changed: 200)

    @Test func delaysDoubleUpToAMinute() {
        var supervision = SwayidleSupervision()
        let delays = (0..<9).map { _ in supervision.takeDelay() / Self.second }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60])
    }

    @Test func aChildThatRanLongStartsTheBackOffOver() {
        var supervision = SwayidleSupervision()
        for _ in 0..<5 { _ = supervision.takeDelay() }
        supervision.childStarted(at: 0, socket: Self.socket)
        #expect(supervision.childExited(at: 3600 * Self.second) == 3600 * Self.second)
        #expect(supervision.takeDelay() == Self.second)
        #expect(supervision.mayTry(Self.socket), "a crash after an hour is retried on the same compositor")
    }

    @Test func aChildThatRanAWhileKeepsBackingOff() {
        var supervision = SwayidleSupervision()
        for _ in 0..<3 { _ = supervision.takeDelay() }
        supervision.childStarted(at: 0, socket: Self.socket)
        supervision.childExited(at: 30 * Self.second)
        #expect(supervision.takeDelay() == 8 * Self.second)
        #expect(supervision.mayTry(Self.socket))
    }

    @Test func anEarlyExitWaitsForAnotherCompositor() {
        var supervision = SwayidleSupervision()
        supervision.childStarted(at: 0, socket: Self.socket)
        supervision.childExited(at: Self.second / 10)
        #expect(!supervision.mayTry(Self.socket), "the same compositor would fail again")
        #expect(supervision.mayTry(Self.restarted))
        // A start on the new compositor forgets the refusal.
        supervision.childStarted(at: 10 * Self.second, socket: Self.restarted)
        #expect(supervision.mayTry(Self.socket))
    }

    @Test func anExitWithoutAStartChangesNothing() {
        var supervision = SwayidleSupervision()
        #expect(supervision.childExited(at: 5 * Self.second) == 0)
        #expect(supervision.refusedSocket == nil)
    }
}
