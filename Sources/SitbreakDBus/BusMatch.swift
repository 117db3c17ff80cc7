import CSystemd

/// A signal match on a ``BusConnection``; the match ends when this is cancelled or released.
public final class BusMatch {
    /// Keeps the handler alive and at a stable address for libsystemd's callback.
    final class Box {
        let handler: (BusMessage) -> Void
        init(_ handler: @escaping (BusMessage) -> Void) { self.handler = handler }
    }

    private var slot: OpaquePointer?
    private let box: Box

    init(slot: OpaquePointer, box: Box) {
        self.slot = slot
        self.box = box
    }

    deinit {
        cancel()
    }

    /// Removes the match; its handler is not called again.
    public func cancel() {
        guard let slot else { return }
        sd_bus_slot_unref(slot)
        self.slot = nil
    }
}
