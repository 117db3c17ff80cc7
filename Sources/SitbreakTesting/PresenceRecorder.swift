import SitbreakDBus
import SitbreakPresence
import SitbreakSystem

/// Records what a presence source reports, with the CLOCK_BOOTTIME instant of each, and runs a
/// real ``EventLoop`` until enough has been reported: the harness of every source test.
public final class PresenceRecorder {
    /// One report and when it came.
    public struct Entry: Equatable {
        /// The report.
        public var report: PresenceReport
        /// CLOCK_BOOTTIME nanoseconds when it was reported.
        public var boottimeNanoseconds: Int64
    }

    /// Every report so far.
    public private(set) var entries: [Entry] = []
    /// Reasons given through `lost`.
    public private(set) var lostReasons: [String] = []
    /// Lines given through `log`.
    public private(set) var logLines: [String] = []
    /// The loop the sources run in.
    public let loop: EventLoop
    private var providers: [String: BusProvider] = [:]

    /// One second in nanoseconds.
    public static let second: Int64 = 1_000_000_000

    /// Creates a recorder with a loop of its own.
    public init() throws {
        loop = try EventLoop()
    }

    /// The reports alone, in order.
    public var reports: [PresenceReport] { entries.map(\.report) }

    /// The reports with `idle`'s instant dropped, for comparing sequences: `active`, `idle`, …
    public var words: [String] {
        entries.map {
            switch $0.report {
            case .active: "active"
            case .idle: "idle"
            case .lock: "lock"
            case .unlock: "unlock"
            case .suspend: "suspend"
            case .resume: "resume"
            case .inhibit: "inhibit"
            case .uninhibit: "uninhibit"
            }
        }
    }

    /// A context whose reports land here.
    public func context(
        idleThresholdNanoseconds: Int64 = 2 * second, environment: [String: String] = [:]
    ) -> PresenceContext {
        // One provider per environment, so sources started in one test share connections as in the
        // daemon.
        let key = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        let buses = providers[key] ?? BusProvider(environment: environment, loop: loop)
        providers[key] = buses
        return PresenceContext(
            loop: loop, idleThresholdNanoseconds: idleThresholdNanoseconds, environment: environment,
            buses: buses,
            report: { [unowned self] report in
                self.entries.append(Entry(report: report, boottimeNanoseconds: SystemClock.boottimeNanoseconds()))
            },
            lost: { [unowned self] reason in self.lostReasons.append(reason) },
            log: { [unowned self] line in self.logLines.append(line) })
    }

    /// Runs the loop until `count` reports (or one more `lost`) have come, or `timeout` seconds
    /// passed; uses the loop's own timer as the deadline, so a source must not need that timer.
    /// Returns whether the count was reached.
    @discardableResult
    public func run(until count: Int, timeout: Double = 6) -> Bool {
        runWhile(timeout: timeout) { self.entries.count < count }
    }

    /// Runs the loop while `condition` holds, for at most `timeout` seconds; returns whether the
    /// condition stopped holding.
    @discardableResult
    public func runWhile(timeout: Double, _ condition: () -> Bool) -> Bool {
        var expired = false
        loop.setTimer(boottimeNanoseconds: SystemClock.boottimeNanoseconds() + Int64(timeout * 1e9)) {
            expired = true
        }
        while condition() && !expired {
            guard loop.runOnce() else { break }
        }
        loop.setTimer(boottimeNanoseconds: nil) {}
        return !condition()
    }
}
