import SitbreakPresence
import SitbreakSystem
import SitbreakTesting
import Testing

/// ``PresenceChain`` with hand-written sources: which source is used, why the others are not,
/// falling back and taking over, and that a lock or inhibitor no source confirms any more ends.
@Suite struct PresenceChainTests {
    /// A source that starts or refuses as told, reports what it is told at start, and lets the
    /// test lose it or make it appear.
    final class FakeSource: PresenceSource {
        let id: String
        let question: PresenceQuestion
        var description: String { "fake \(id)" }
        var refusal: String?
        var reportsAtStart: [PresenceReport] = []
        private(set) var context: PresenceContext?
        private(set) var starts = 0
        private(set) var stops = 0
        private var appeared: (() -> Void)?

        init(_ id: String, _ question: PresenceQuestion, refusal: String? = nil) {
            self.id = id
            self.question = question
            self.refusal = refusal
        }

        func start(_ context: PresenceContext) throws(PresenceUnavailable) {
            if let refusal { throw PresenceUnavailable(refusal) }
            starts += 1
            self.context = context
            for report in reportsAtStart { context.report(report) }
        }

        func stop() {
            stops += 1
            context = nil
        }

        func watchForAppearance(_ context: PresenceContext, appeared: @escaping () -> Void) -> Bool {
            self.appeared = appeared
            return true
        }

        func stopWatching() { appeared = nil }

        func lose(_ reason: String) { context?.lost(reason) }
        func appear() {
            refusal = nil
            appeared?()
        }
    }

    static func make(
        _ chains: [(PresenceQuestion, [any PresenceSource])], locked: Bool = false
    ) throws -> (PresenceChain, Box) {
        let box = Box()
        let chain = PresenceChain(
            chains: chains, loop: try EventLoop(), idleThresholdNanoseconds: 1_000_000_000, environment: [:],
            report: { box.reports.append($0) }, log: { box.lines.append($0) }, locked: locked)
        return (chain, box)
    }

    final class Box {
        var reports: [PresenceReport] = []
        var lines: [String] = []
    }

    @Test func theFirstSourceThatStartsIsUsedAndTheOthersSayWhy() throws {
        let a = FakeSource("a", .idle, refusal: "no a here")
        let b = FakeSource("b", .idle)
        let c = FakeSource("c", .idle)
        b.reportsAtStart = [.active]
        let (chain, box) = try Self.make([(.idle, [a, b, c])])
        chain.start()
        #expect(box.reports == [.active])
        let state = try #require(chain.states.first)
        #expect(state.sources.map(\.id) == ["a", "b", "c"])
        #expect(state.sources.map(\.inUse) == [false, true, false])
        #expect(state.sources.map(\.detail) == ["no a here", "fake b", nil])
        #expect(box.lines == ["idle: using b (fake b); not used: a: no a here"])
        #expect(c.starts == 0)
    }

    @Test func aLostSourceFallsBackAndTakesOverAgainWhenItAppears() throws {
        let a = FakeSource("a", .idle)
        let b = FakeSource("b", .idle)
        let (chain, box) = try Self.make([(.idle, [a, b])])
        chain.start()
        let context = try #require(a.context)
        a.lose("the compositor exited")
        #expect(chain.sourceInUse(.idle)?.id == "b")
        #expect(a.stops == 1 && a.starts == 1, "a lost source is not restarted at once")
        #expect(chain.states.first?.sources.first?.detail == "the compositor exited")
        // A report from the lost source no longer reaches the engine.
        context.report(.active)
        #expect(box.reports == [])
        a.appear()
        #expect(chain.sourceInUse(.idle)?.id == "a")
        #expect(b.stops == 1)
        #expect(box.lines.contains("idle: lost a: the compositor exited"))
    }

    @Test func aLockNoSourceConfirmsAnyMoreEnds() throws {
        let a = FakeSource("a", .lock)
        let b = FakeSource("b", .lock)
        a.reportsAtStart = [.lock]
        let (chain, box) = try Self.make([(.lock, [a, b])])
        chain.start()
        #expect(box.reports == [.lock])
        a.lose("gone")
        // b took over and said nothing of a lock: the lock a reported is over.
        #expect(box.reports == [.lock, .unlock])
    }

    @Test func aLockTheNextSourceConfirmsStays() throws {
        let a = FakeSource("a", .lock)
        let b = FakeSource("b", .lock)
        a.reportsAtStart = [.lock]
        b.reportsAtStart = [.lock]
        let (chain, box) = try Self.make([(.lock, [a, b])])
        chain.start()
        a.lose("gone")
        #expect(box.reports == [.lock, .lock])
    }

    @Test func withNoSourceLeftALockEnds() throws {
        let a = FakeSource("a", .lock)
        a.reportsAtStart = [.lock]
        let (chain, box) = try Self.make([(.lock, [a])])
        chain.start()
        a.lose("gone")
        #expect(box.reports == [.lock, .unlock])
        #expect(chain.sourceInUse(.lock) == nil)
    }

    @Test(arguments: [([PresenceReport](), [PresenceReport.unlock]), ([.lock], [.lock])])
    func aLockRememberedFromBeforeIsCheckedAtStart(startReports: [PresenceReport], expected: [PresenceReport]) throws {
        let a = FakeSource("a", .lock)
        a.reportsAtStart = startReports
        let (chain, box) = try Self.make([(.lock, [a])], locked: true)
        chain.start()
        #expect(box.reports == expected)
    }

    @Test func anInhibitorNoSourceConfirmsEnds() throws {
        let a = FakeSource("a", .inhibit)
        a.reportsAtStart = [.inhibit]
        let (chain, box) = try Self.make([(.inhibit, [a])])
        chain.start()
        a.lose("gone")
        #expect(box.reports == [.inhibit, .uninhibit])
    }

    @Test func anUnlockedScreenStaysQuietWhenTheSourceChanges() throws {
        let a = FakeSource("a", .lock)
        let b = FakeSource("b", .lock)
        let (chain, box) = try Self.make([(.lock, [a, b])])
        chain.start()
        a.lose("gone")
        #expect(box.reports == [])
    }
}
