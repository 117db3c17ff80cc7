import SitbreakSystem

/// The daemon's D-Bus connections, opened on first use and shared by every source that needs
/// the same bus (logind's lock, idle, sleep and inhibitor sources share one system connection).
public final class BusProvider {
    private let environment: [String: String]
    /// The loop every connection registers with (a ``BusMonitor`` too).
    public let loop: EventLoop
    private var connections: [BusConnection.Kind: BusConnection] = [:]

    /// Creates a provider; nothing connects yet.
    public init(environment: [String: String], loop: EventLoop) {
        self.environment = environment
        self.loop = loop
    }

    /// The connection to `kind`, opened now if needed (again if the previous one was closed).
    public func connection(_ kind: BusConnection.Kind) throws(BusError) -> BusConnection {
        if let open = connections[kind], !open.isClosed { return open }
        let connection = try BusConnection(kind, environment: environment, loop: loop)
        connections[kind] = connection
        return connection
    }

    /// The system bus.
    public func system() throws(BusError) -> BusConnection { try connection(.system) }
    /// The session bus.
    public func session() throws(BusError) -> BusConnection { try connection(.session) }
}
