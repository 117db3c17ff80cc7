import Glibc
import SitbreakDBus
import SitbreakSystem

/// The session bus's `org.freedesktop.Notifications`, through sd-bus: `GetCapabilities`,
/// `GetServerInformation`, `Notify`, `CloseNotification`, and the `ActionInvoked` /
/// `NotificationClosed` signals. Follows the name's owner: a server that leaves and one that
/// takes the name are reported, with the new server's capabilities.
///
/// Calls are synchronous with a short bound (``callTimeoutMicroseconds``): a server that never
/// answers stalls the loop for at most that long, and the call fails with a ``BusError``.
public final class NotificationServer {
    /// The well-known name, object path and interface of the specification.
    public static let name = "org.freedesktop.Notifications"
    static let path = "/org/freedesktop/Notifications"
    static let interface = "org.freedesktop.Notifications"

    /// The longest a call may wait for the server: 1 s.
    public static let callTimeoutMicroseconds: UInt64 = 1_000_000

    /// What the server reported.
    public enum Signal: Hashable, Sendable {
        /// A button was pressed.
        case actionInvoked(id: UInt32, key: String)
        /// A notification closed, with the specification's reason code.
        case closed(id: UInt32, reason: UInt32)
        /// A server took the name (described), or nil when the name lost its owner or the new
        /// owner did not answer.
        case owner(Description?)
    }

    /// A server's capabilities and its name from `GetServerInformation`.
    public struct Description: Hashable, Sendable {
        /// `GetCapabilities`.
        public var capabilities: [String]
        /// Name, vendor and version, e.g. `dunst knopwob 1.9.0`.
        public var server: String
    }

    private let bus: BusConnection
    private var matches: [BusMatch] = []

    /// Connects to the session bus named by `environment` and watches the server; `handler`
    /// runs on the loop for each signal.
    public init(
        environment: [String: String], loop: EventLoop, handler: @escaping (Signal) -> Void
    ) throws(BusError) {
        bus = try BusConnection(.session, environment: environment, loop: loop)
        bus.callTimeoutMicroseconds = Self.callTimeoutMicroseconds
        let signals = BusConnection.signalRule(path: Self.path, interface: Self.interface)
        matches.append(
            try bus.match(signals) { message in
                guard let arguments = try? message.arguments(), arguments.count == 2,
                    let id = arguments[0].uintValue
                else { return }
                switch message.member {
                case "ActionInvoked":
                    if let key = arguments[1].stringValue { handler(.actionInvoked(id: UInt32(id), key: key)) }
                case "NotificationClosed":
                    if let reason = arguments[1].uintValue { handler(.closed(id: UInt32(id), reason: UInt32(reason))) }
                default: break
                }
            })
        matches.append(
            try bus.watchName(Self.name) { [unowned self] hasOwner in
                guard hasOwner else { return handler(.owner(nil)) }
                // A new owner: its capabilities may differ from the last one's.
                handler(.owner(try? self.describe()))
            })
    }

    /// Runs `handler` once if the bus connection closes (the session ended).
    public func onClose(_ handler: @escaping () -> Void) {
        bus.onClose(handler)
    }

    /// Whether a server owns the name now.
    public func isPresent() throws(BusError) -> Bool {
        try bus.nameHasOwner(Self.name)
    }

    /// The server's capabilities and its name from `GetServerInformation`. Calling them starts
    /// a server that is D-Bus activatable.
    public func describe() throws(BusError) -> Description {
        let capabilities = try bus.call(Self.name, Self.path, Self.interface, "GetCapabilities").arguments()
        let information = try bus.call(Self.name, Self.path, Self.interface, "GetServerInformation").arguments()
        let names = capabilities.first?.elements?.compactMap(\.stringValue) ?? []
        let server = information.prefix(3).compactMap(\.stringValue).joined(separator: " ")
        return Description(capabilities: names, server: server)
    }

    /// Shows `request` and returns the server's id for it.
    public func notify(_ request: NotificationRequest) throws(BusError) -> UInt32 {
        var hints: [BusArgument.Property] = [
            .init("desktop-entry", .string(NotificationRequest.applicationName)),
            .init("urgency", .byte(request.urgency)),
            .init("category", .string(request.category)),
        ]
        if let sound = request.soundName { hints.append(.init("sound-name", .string(sound))) }
        if request.transient { hints.append(.init("transient", .bool(true))) }
        let reply = try bus.call(
            Self.name, Self.path, Self.interface, "Notify",
            [
                .string(NotificationRequest.applicationName), .uint32(request.replacesID),
                .string(NotificationRequest.iconName), .string(request.summary), .string(request.body),
                .strings(request.actions.flatMap { [$0.key, $0.label] }), .properties(hints),
                .int32(request.expireMilliseconds),
            ])
        guard let id = try reply.arguments().first?.uintValue else {
            throw BusError(operation: "Notify on \(Self.name)", code: EBADMSG, message: "no id in the reply")
        }
        return UInt32(truncatingIfNeeded: id)
    }

    /// Closes the notification `id`.
    public func close(_ id: UInt32) throws(BusError) {
        _ = try bus.call(Self.name, Self.path, Self.interface, "CloseNotification", [.uint32(id)])
    }
}
