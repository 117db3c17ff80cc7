import SitbreakDBus
import SitbreakSystem
import SitbreakTesting
import Testing

/// ``BusConnection`` against a real dbus-daemon and python3-dbusmock's logind (docs/testing.md §2).
@Suite(.tags(.fixture, .dbusmock), .needs(.dbusmock)) struct BusConnectionTests {
    /// A private bus standing in for the system bus, with a mocked logind on it.
    static func logind() throws -> (PrivateBus, DBusMock) {
        let bus = try PrivateBus()
        let mock = try DBusMock(bus: bus, template: "logind", name: "org.freedesktop.login1", system: true)
        return (bus, mock)
    }

    /// Runs `loop` until `condition` holds or `timeout` seconds passed.
    static func run(_ loop: EventLoop, timeout: Double = 5, until condition: () -> Bool) {
        var expired = false
        loop.setTimer(boottimeNanoseconds: SystemClock.boottimeNanoseconds() + Int64(timeout * 1e9)) { expired = true }
        while !condition() && !expired { _ = loop.runOnce() }
        loop.setTimer(boottimeNanoseconds: nil) {}
    }

    @Test func callsMethodsAndReadsReplies() throws {
        let (bus, mock) = try Self.logind()
        defer {
            mock.stop()
            bus.stop()
        }
        let loop = try EventLoop()
        let connection = try BusConnection(.system, environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.address], loop: loop)
        let reply = try connection.call(
            "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "GetSession",
            [.string("auto")])
        #expect(try reply.arguments() == [.objectPath("/org/freedesktop/login1/session/auto")])
        let idle = try connection.property(
            "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "IdleHint")
        #expect(idle == .bool(false))
        #expect(try connection.nameHasOwner("org.freedesktop.login1"))
        #expect(try !connection.nameHasOwner("org.example.Nobody"))
    }

    @Test func anErrorReplyNamesTheError() throws {
        let (bus, mock) = try Self.logind()
        defer {
            mock.stop()
            bus.stop()
        }
        let loop = try EventLoop()
        let connection = try BusConnection(.system, environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.address], loop: loop)
        let error = #expect(throws: BusError.self) {
            try connection.call(
                "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "NoSuchMethod")
        }
        #expect(error?.name == "org.freedesktop.DBus.Error.UnknownMethod")
        #expect(
            error?.description.hasPrefix("org.freedesktop.login1.Manager.NoSuchMethod on org.freedesktop.login1: ")
                == true)
    }

    @Test func signalsReachMatchesUntilCancelled() throws {
        let (bus, mock) = try Self.logind()
        defer {
            mock.stop()
            bus.stop()
        }
        let loop = try EventLoop()
        let connection = try BusConnection(.system, environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.address], loop: loop)
        var received: [[BusValue]] = []
        let match = try connection.match(
            BusConnection.signalRule(interface: "org.freedesktop.login1.Manager", member: "PrepareForSleep")
        ) { message in
            received.append((try? message.arguments()) ?? [])
        }
        try mock.emit("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", "b", ["true"])
        Self.run(loop) { received.count == 1 }
        #expect(received == [[.bool(true)]])
        match.cancel()
        try mock.emit("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", "b", ["false"])
        Self.run(loop, timeout: 0.5) { received.count > 1 }
        #expect(received == [[.bool(true)]])
    }

    @Test func nameOwnerChangesAreSeen() throws {
        let (bus, mock) = try Self.logind()
        defer { bus.stop() }
        let loop = try EventLoop()
        let connection = try BusConnection(.system, environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.address], loop: loop)
        var changes: [Bool] = []
        let watch = try connection.watchName("org.freedesktop.login1") { changes.append($0) }
        mock.stop()
        Self.run(loop) { changes == [false] }
        #expect(changes == [false])
        let again = try DBusMock(bus: bus, template: "logind", name: "org.freedesktop.login1", system: true)
        defer { again.stop() }
        Self.run(loop) { changes == [false, true] }
        #expect(changes == [false, true])
        watch.cancel()
    }

    @Test func theBusGoingAwayClosesTheConnection() throws {
        let bus = try PrivateBus()
        let loop = try EventLoop()
        let connection = try BusConnection(.session, environment: ["DBUS_SESSION_BUS_ADDRESS": bus.address], loop: loop)
        var closed = false
        connection.onClose { closed = true }
        bus.stop()
        Self.run(loop) { closed }
        #expect(closed)
        #expect(connection.isClosed)
        #expect(throws: BusError.self) { try connection.nameHasOwner("org.freedesktop.DBus") }
    }

    @Test func noBusIsAClearError() throws {
        let loop = try EventLoop()
        let error = #expect(throws: BusError.self) {
            _ = try BusConnection(
                .session, environment: ["DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"], loop: loop)
        }
        #expect(error?.description.contains("/nonexistent/bus") == true)
        let none = #expect(throws: BusError.self) { _ = try BusConnection(.session, environment: [:], loop: loop) }
        #expect(none?.description.contains("neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set") == true)
    }
}
