/// A yes/no state a source reports only when it changes (a lock, an inhibitor): the decisions of
/// ``ScreenSaverLockSource`` and ``GNOMEInhibitorSource``.
///
/// At start only a yes is worth a report: the engine starts unlocked and uninhibited. After that,
/// repeated answers (a signal on each of two object paths, a change signal and a property read
/// for one change) are reported once.
struct StateEdge: Equatable {
    /// The state last reported (or known at start), nil before the first.
    private(set) var value: Bool?

    /// Creates an edge that knows nothing yet.
    init() {}

    /// The state at start: returns true when it must be reported (it is on).
    mutating func start(_ on: Bool) -> Bool {
        value = on
        return on
    }

    /// A new reading: returns it when it differs from what was reported, else nil.
    mutating func update(_ on: Bool) -> Bool? {
        guard on != value else { return nil }
        value = on
        return on
    }
}
