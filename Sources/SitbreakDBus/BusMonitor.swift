import CSystemd
import Glibc
import SitbreakSystem

/// A monitor-only connection to a bus, driven by the daemon's ``EventLoop``: owns its `sd_bus`.
///
/// `org.freedesktop.DBus.Monitoring.BecomeMonitor` turns a fresh connection into one that receives
/// a copy of every message matching its rules, method calls between other peers included, and
/// sends nothing more (the bus closes a monitor that sends). That is how a method call that
/// changes state without any signal (systemd's `SetEnvironment`) can be pushed to this process.
/// The bus grants it to a peer of the bus's own user (dbus-daemon's session policy, dbus-broker);
/// a refusal is one ``BusError`` from ``init(address:rules:loop:handler:)``.
///
/// sd-bus is put in monitor mode (`sd_bus_set_monitor`), so it answers none of the method calls
/// it is shown, and every message is taken from `sd_bus_process` (matches would need `AddMatch`,
/// which a monitor may not send).
public final class BusMonitor {
    private let handle: OpaquePointer
    private let fd: Int32
    private weak var loop: EventLoop?
    private let handler: (BusMessage) -> Void
    private var closeHandler: (() -> Void)?
    /// Whether the connection ended (the bus closed it, or ``close()``).
    public private(set) var isClosed = false

    /// Connects to the bus at `address` (a D-Bus address, ``BusConnection/address``), becomes a
    /// monitor for `rules` (D-Bus match rules; at least one, since none means every message) and
    /// registers with `loop`: `handler` then runs on the loop for every message the bus copies
    /// here.
    ///
    /// A message already read during `BecomeMonitor`'s reply waits for the next one to be
    /// dispatched: a caller that reads the state it watches after this returns misses nothing.
    public init(
        address: String, rules: [String], loop: EventLoop, handler: @escaping (BusMessage) -> Void
    ) throws(BusError) {
        precondition(!rules.isEmpty, "a monitor without rules receives every message of the bus")
        var bus: OpaquePointer? = nil
        let operation = "becoming a monitor of the bus at \(address)"
        try BusError.check(sd_bus_new(&bus), "sd_bus_new")
        var ok = false
        defer { if !ok { sd_bus_close_unref(bus) } }
        try BusError.check(sd_bus_set_address(bus, address), operation)
        try BusError.check(sd_bus_set_monitor(bus, 1), operation)
        try BusError.check(sd_bus_set_bus_client(bus, 1), operation)
        try BusError.check(sd_bus_start(bus), operation)
        var message: OpaquePointer? = nil
        try BusError.check(
            sd_bus_message_new_method_call(
                bus, &message, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.Monitoring",
                "BecomeMonitor"),
            operation)
        defer { sd_bus_message_unref(message) }
        try BusConnection.append(.strings(rules), to: message!, operation)
        try BusConnection.append(.uint32(0), to: message!, operation)
        var error = sd_bus_error()
        defer { sd_bus_error_free(&error) }
        let result = sd_bus_call(bus, message, 2_000_000, &error, nil)
        if result < 0 {
            throw BusError(
                operation: operation, code: -result, name: error.name.map { String(cString: $0) },
                message: error.message.map { String(cString: $0) })
        }
        handle = bus!
        fd = sd_bus_get_fd(handle)
        self.handler = handler
        self.loop = loop
        do {
            try loop.add(fd) { [weak self] readiness in
                guard let self else { return }
                self.dispatch()
                if readiness.hangUp { self.closed() }
            }
        } catch {
            throw BusError(operation: operation, code: error.code)
        }
        ok = true
    }

    deinit {
        if !isClosed { loop?.remove(fd) }
        sd_bus_close_unref(handle)
    }

    /// Runs `handler` once if the bus closes the connection (not after ``close()``).
    public func onClose(_ handler: @escaping () -> Void) {
        closeHandler = handler
    }

    /// Stops receiving; the handler is not called again. The descriptor is closed on release.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        closeHandler = nil
        loop?.remove(fd)
    }

    /// Hands on every message libsystemd has read or can read now without blocking.
    private func dispatch() {
        while !isClosed {
            var message: OpaquePointer? = nil
            let result = sd_bus_process(handle, &message)
            if let message {
                let received = BusMessage(adopting: message)
                if sd_bus_message_is_signal(message, "org.freedesktop.DBus.Local", "Disconnected") > 0 {
                    closed()
                    break
                }
                handler(received)
            }
            if result == 0 { break }
            if result < 0 {
                closed()
                break
            }
        }
    }

    private func closed() {
        guard !isClosed else { return }
        let handler = closeHandler
        close()
        handler?()
    }
}
