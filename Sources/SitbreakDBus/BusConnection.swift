import CLinux
import CSystemd
import Glibc
import SitbreakSystem

/// One connection to a D-Bus bus, driven by the daemon's ``EventLoop``: owns the `sd_bus`.
///
/// Method calls are synchronous with a short timeout (they happen when a source starts or
/// re-arms a watch, and the services asked answer in microseconds); signals arrive through
/// matches whose handlers run on the loop. A synchronous call may read signals that arrived
/// meanwhile; an eventfd pokes the loop so they are dispatched on the next turn rather than
/// from inside the caller.
public final class BusConnection {
    /// Which bus.
    public enum Kind: String, Sendable {
        /// The system bus (logind).
        case system
        /// The user's session bus (GNOME, KDE).
        case session
    }

    /// The bus this connects to.
    public let kind: Kind
    let handle: OpaquePointer
    private let fd: Int32
    /// The eventfd that pokes the loop after a synchronous call read signals.
    private let wake: FileDescriptor
    private weak var loop: EventLoop?
    private var dispatching = false
    private var closeHandlers: [Int: () -> Void] = [:]
    private var nextHandlerID = 0
    /// Whether the bus closed the connection (the daemon restarted, for instance).
    public private(set) var isClosed = false
    /// How long a method call may take before it fails, in microseconds.
    public var callTimeoutMicroseconds: UInt64 = 2_000_000

    /// Connects to the bus named by `environment` (`DBUS_SYSTEM_BUS_ADDRESS`,
    /// `DBUS_SESSION_BUS_ADDRESS`), or else where libsystemd looks by default
    /// (`sd_bus_open_system`, `sd_bus_open_user`), and registers with `loop`.
    public init(_ kind: Kind, environment: [String: String], loop: EventLoop) throws(BusError) {
        self.kind = kind
        var bus: OpaquePointer? = nil
        let variable = kind == .system ? "DBUS_SYSTEM_BUS_ADDRESS" : "DBUS_SESSION_BUS_ADDRESS"
        let description = kind == .system ? "the system bus" : "the session bus"
        if let address = environment[variable], !address.isEmpty {
            try BusError.check(sd_bus_new(&bus), "sd_bus_new")
            var ok = false
            defer { if !ok { sd_bus_unref(bus) } }
            try BusError.check(sd_bus_set_address(bus, address), "connecting to \(description) at \(address)")
            try BusError.check(sd_bus_set_bus_client(bus, 1), "sd_bus_set_bus_client")
            try BusError.check(sd_bus_start(bus), "connecting to \(description) at \(address)")
            ok = true
        } else if kind == .system {
            try BusError.check(sd_bus_open_system(&bus), "connecting to \(description)")
        } else {
            guard environment["XDG_RUNTIME_DIR"] != nil else {
                throw BusError(
                    operation: "connecting to the session bus", code: ENOENT, name: "sitbreak.NoSessionBus",
                    message: "neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set")
            }
            try BusError.check(sd_bus_open_user(&bus), "connecting to \(description)")
        }
        handle = bus!
        fd = sd_bus_get_fd(handle)
        let wakeFD = sitbreak_eventfd_create()
        guard wakeFD >= 0 else {
            sd_bus_flush_close_unref(handle)
            throw BusError(operation: "eventfd", code: -wakeFD)
        }
        wake = FileDescriptor(wakeFD)
        self.loop = loop
        do {
            // Weak, held strongly while a handler runs: a close handler may drop the last other
            // reference (a reconnecting owner replacing this connection), and this must outlive
            // the handler that called it.
            try loop.add(fd) { [weak self] readiness in
                guard let self else { return }
                self.dispatch()
                if readiness.hangUp { self.closed() }
            }
            try loop.add(wakeFD) { [weak self] _ in
                guard let self else { return }
                var count: UInt64 = 0
                _ = read(wakeFD, &count, 8)
                self.dispatch()
            }
        } catch {
            // Every stored property is set by now, so throwing runs deinit, which unregisters
            // the descriptors and closes the bus: doing either here too would free the bus twice.
            throw BusError(operation: "watching \(description)", code: error.code)
        }
    }

    deinit {
        loop?.remove(fd)
        loop?.remove(wake.rawValue)
        sd_bus_flush_close_unref(handle)
    }

    /// Runs `handler` once if the bus closes the connection. Returns a token for
    /// ``removeCloseHandler(_:)``.
    @discardableResult
    public func onClose(_ handler: @escaping () -> Void) -> Int {
        nextHandlerID += 1
        closeHandlers[nextHandlerID] = handler
        return nextHandlerID
    }

    /// Forgets a handler given to ``onClose(_:)``.
    public func removeCloseHandler(_ token: Int) {
        closeHandlers[token] = nil
    }

    // MARK: - Calls

    /// Calls a method and waits for its reply (at most `timeoutMicroseconds`, by default
    /// ``callTimeoutMicroseconds``).
    public func call(
        _ destination: String, _ path: String, _ interface: String, _ member: String, _ arguments: [BusArgument] = [],
        timeoutMicroseconds: UInt64? = nil
    ) throws(BusError) -> BusMessage {
        let operation = "\(interface).\(member) on \(destination)"
        guard !isClosed else { throw BusError(operation: operation, code: ENOTCONN) }
        var message: OpaquePointer? = nil
        try BusError.check(
            sd_bus_message_new_method_call(handle, &message, destination, path, interface, member), operation)
        defer { sd_bus_message_unref(message) }
        for argument in arguments { try Self.append(argument, to: message!, operation) }
        var error = sd_bus_error()
        defer { sd_bus_error_free(&error) }
        var reply: OpaquePointer? = nil
        let result = sd_bus_call(handle, message, timeoutMicroseconds ?? callTimeoutMicroseconds, &error, &reply)
        pokeLoop()
        if result < 0 {
            throw BusError(
                operation: operation, code: -result, name: error.name.map { String(cString: $0) },
                message: error.message.map { String(cString: $0) })
        }
        return BusMessage(adopting: reply!)
    }

    /// The bus's address (`unix:path=/run/user/1000/bus`), for a second connection to the same bus
    /// (``BusMonitor``); nil when libsystemd does not tell it.
    public var address: String? {
        var pointer: UnsafePointer<CChar>? = nil
        guard sd_bus_get_address(handle, &pointer) >= 0, let pointer else { return nil }
        return String(cString: pointer)
    }

    /// `org.freedesktop.DBus.Properties.Get`: one property's value (variants unwrapped); waits as
    /// ``call(_:_:_:_:_:timeoutMicroseconds:)`` does.
    public func property(
        _ destination: String, _ path: String, _ interface: String, _ name: String, timeoutMicroseconds: UInt64? = nil
    ) throws(BusError) -> BusValue {
        let reply = try call(
            destination, path, "org.freedesktop.DBus.Properties", "Get", [.string(interface), .string(name)],
            timeoutMicroseconds: timeoutMicroseconds)
        return (try reply.arguments().first ?? .structure([])).unwrapped
    }

    /// Whether `name` has an owner on this bus now.
    public func nameHasOwner(_ name: String) throws(BusError) -> Bool {
        let reply = try call(
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", [.string(name)])
        return try reply.arguments().first?.boolValue ?? false
    }

    /// Appends `argument` to a message being built (``BusMonitor``'s `BecomeMonitor` too).
    static func append(_ argument: BusArgument, to message: OpaquePointer, _ operation: String) throws(BusError) {
        func put<T>(_ type: UInt8, _ value: T) throws(BusError) {
            var copy = value
            try BusError.check(
                withUnsafePointer(to: &copy) { sd_bus_message_append_basic(message, CChar(bitPattern: type), $0) },
                operation)
        }
        func open(_ type: UInt8, _ contents: String) throws(BusError) {
            try BusError.check(
                contents.withCString { sd_bus_message_open_container(message, CChar(bitPattern: type), $0) }, operation)
        }
        func closeContainer() throws(BusError) {
            try BusError.check(sd_bus_message_close_container(message), operation)
        }
        switch argument {
        case .string(let text), .objectPath(let text):
            let type: UInt8 = if case .string = argument { UInt8(ascii: "s") } else { UInt8(ascii: "o") }
            try BusError.check(
                text.withCString { sd_bus_message_append_basic(message, CChar(bitPattern: type), $0) }, operation)
        case .bool(let flag): try put(UInt8(ascii: "b"), Int32(flag ? 1 : 0))
        case .byte(let number): try put(UInt8(ascii: "y"), number)
        case .uint32(let number): try put(UInt8(ascii: "u"), number)
        case .uint64(let number): try put(UInt8(ascii: "t"), number)
        case .int32(let number): try put(UInt8(ascii: "i"), number)
        case .strings(let texts):
            try open(UInt8(ascii: "a"), "s")
            for text in texts { try append(.string(text), to: message, operation) }
            try closeContainer()
        case .properties(let entries):
            try open(UInt8(ascii: "a"), "{sv}")
            for entry in entries {
                try open(UInt8(ascii: "e"), "sv")
                try append(.string(entry.name), to: message, operation)
                try open(UInt8(ascii: "v"), entry.value.signature)
                try append(entry.value, to: message, operation)
                try closeContainer()
                try closeContainer()
            }
            try closeContainer()
        }
    }

    // MARK: - Signals

    /// Runs `handler` on the loop for every message matching `rule` (a D-Bus match rule, e.g.
    /// `type='signal',interface='org.freedesktop.login1.Manager',member='PrepareForSleep'`) until
    /// the returned match is cancelled or released.
    public func match(_ rule: String, handler: @escaping (BusMessage) -> Void) throws(BusError) -> BusMatch {
        let box = BusMatch.Box(handler)
        var slot: OpaquePointer? = nil
        let result = sd_bus_add_match(
            handle, &slot, rule,
            { message, userdata, _ in
                guard let message, let userdata else { return 0 }
                let box = Unmanaged<BusMatch.Box>.fromOpaque(userdata).takeUnretainedValue()
                box.handler(BusMessage(borrowing: message))
                return 0
            }, Unmanaged.passUnretained(box).toOpaque())
        pokeLoop()
        try BusError.check(result, "adding the match \(rule)")
        return BusMatch(slot: slot!, box: box)
    }

    /// A match rule for a signal; nil parts match anything.
    public static func signalRule(
        sender: String? = nil, path: String? = nil, interface: String? = nil, member: String? = nil,
        arg0: String? = nil
    ) -> String {
        var parts = ["type='signal'"]
        if let sender { parts.append("sender='\(sender)'") }
        if let path { parts.append("path='\(path)'") }
        if let interface { parts.append("interface='\(interface)'") }
        if let member { parts.append("member='\(member)'") }
        if let arg0 { parts.append("arg0='\(arg0)'") }
        return parts.joined(separator: ",")
    }

    /// Calls `handler` with the new owner state whenever `name` gains or loses an owner.
    public func watchName(_ name: String, handler: @escaping (_ hasOwner: Bool) -> Void) throws(BusError) -> BusMatch {
        let rule = Self.signalRule(
            sender: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus",
            member: "NameOwnerChanged", arg0: name)
        return try match(rule) { message in
            guard let arguments = try? message.arguments(), arguments.count == 3 else { return }
            handler(!(arguments[2].stringValue ?? "").isEmpty)
        }
    }

    // MARK: - Dispatch

    /// Handles everything libsystemd has read or can read now without blocking.
    private func dispatch() {
        // sd_bus_process is not reentrant; a handler that calls a method lands here again.
        guard !dispatching, !isClosed else { return }
        dispatching = true
        defer { dispatching = false }
        while true {
            let result = sd_bus_process(handle, nil)
            if result == 0 { break }
            if result < 0 {
                if result == -ECONNRESET || result == -ENOTCONN || result == -EPIPE { closed() }
                break
            }
        }
    }

    /// A synchronous call may have read signals that are now queued inside libsystemd, where the
    /// descriptor no longer shows them: make the loop dispatch on its next turn.
    private func pokeLoop() {
        var one: UInt64 = 1
        _ = write(wake.rawValue, &one, 8)
    }

    private func closed() {
        guard !isClosed else { return }
        isClosed = true
        loop?.remove(fd)
        let handlers = closeHandlers.sorted { $0.key < $1.key }.map(\.value)
        closeHandlers = [:]
        for handler in handlers { handler() }
    }
}
