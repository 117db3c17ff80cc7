import Foundation
import Glibc
import SitbreakDBus
import SitbreakSystem
import SitbreakTesting

/// python3-dbusmock's logind on a private bus standing in for the system bus (docs/testing.md §2),
/// with what the logind tests need to drive it as the real one would be driven.
///
/// The stock template lists inhibitors but announces nothing when one is taken or dropped; real
/// logind announces each as a `PropertiesChanged` of `BlockInhibited` or `DelayInhibited` with
/// `NCurrentInhibitors` (`bus_manager_send_inhibited_change` in systemd's `logind-inhibit.c`).
/// ``template`` extends the stock template with exactly that, so the inhibitor source is tested
/// against the announcements it relies on. It also replaces the stock `GetUser`, which fails
/// (it adds the uid, a number, to a string), by logind's: the user's path, or `NoSuchUser` for a
/// user logind does not know.
final class LogindMock {
    /// The stock template plus inhibitor announcements (see the type's comment).
    static let template = """
        '''logind, announcing inhibitors as systemd-logind does (logind-inhibit.c)'''
        import os

        import dbus
        from gi.repository import GLib

        from dbusmock import mockobject
        from dbusmock.templates import logind as stock

        BUS_NAME = stock.BUS_NAME
        MAIN_OBJ = stock.MAIN_OBJ
        MAIN_IFACE = stock.MAIN_IFACE
        SYSTEM_BUS = True

        # The stock template's D-Bus methods: AddTemplate picks them up from this module's names.
        ListUsers = stock.ListUsers
        ListSessions = stock.ListSessions
        ListInhibitors = stock.ListInhibitors
        AddSeat = stock.AddSeat
        AddUser = stock.AddUser
        AddSession = stock.AddSession

        ORDER = ['shutdown', 'sleep', 'idle', 'handle-power-key', 'handle-suspend-key',
                 'handle-hibernate-key', 'handle-lid-switch', 'handle-reboot-key']


        def load(mock, parameters):
            stock.load(mock, parameters)
            mock.AddMethod(MAIN_IFACE, 'GetUser', 'u', 'o', '\\n'.join([
                "path = '/org/freedesktop/login1/user/%d' % args[0]",
                "if path not in objects:",
                "    raise dbus.exceptions.DBusException('User ID %d is not logged in or lingering' % args[0],",
                "                                        name='org.freedesktop.login1.NoSuchUser')",
                "ret = dbus.ObjectPath(path)",
            ]))
            mock.AddProperties(MAIN_IFACE, dbus.Dictionary({
                'BlockInhibited': '',
                'DelayInhibited': '',
                'NCurrentInhibitors': dbus.UInt64(0),
            }, signature='sv'))


        def announce(mode):
            inhibitors = getattr(mockobject, 'inhibitors', [])
            words = set()
            for inhibitor in inhibitors:
                if inhibitor[3] == mode:
                    words.update(inhibitor[0].split(':'))
            name = 'DelayInhibited' if mode == 'delay' else 'BlockInhibited'
            mockobject.objects[MAIN_OBJ].UpdateProperties(MAIN_IFACE, {
                name: ':'.join(w for w in ORDER if w in words),
                'NCurrentInhibitors': dbus.UInt64(len(inhibitors)),
            })


        @dbus.service.method(MAIN_IFACE, in_signature='ssss', out_signature='h')
        def Inhibit(_, what, who, why, mode):
            if not hasattr(mockobject, 'inhibitors'):
                mockobject.inhibitors = []
            fd_r, fd_w = os.pipe()
            inhibitor = (what, who, why, mode, 1000, 123456)
            mockobject.inhibitors.append(inhibitor)

            def dropped(fd, cond):
                os.close(fd)
                mockobject.inhibitors.remove(inhibitor)
                announce(mode)
                return False

            GLib.unix_fd_add_full(GLib.PRIORITY_HIGH, fd_r, GLib.IO_HUP, dropped)
            GLib.idle_add(os.close, fd_w)
            announce(mode)
            return fd_w
        """

    /// The bus.
    let bus: PrivateBus
    /// The mock on it (replaced by ``restart()``).
    private(set) var mock: DBusMock
    private let directory: TemporaryDirectory
    private let templatePath: String

    /// The environment that points a source at this bus as the system bus.
    var environment: [String: String] { ["DBUS_SYSTEM_BUS_ADDRESS": bus.address] }
    /// The test process's uid, which the sources look up in logind.
    let uid = getuid()
    /// The user object the mock makes for ``uid``.
    var userPath: String { "/org/freedesktop/login1/user/\(uid)" }

    /// Starts a bus and the mock on it.
    init() throws {
        directory = try TemporaryDirectory(prefix: "sitbreak-logind-mock")
        templatePath = try directory.write("logind_inhibitors.py", Self.template)
        bus = try PrivateBus()
        mock = try DBusMock(bus: bus, template: templatePath, name: "org.freedesktop.login1", system: true)
    }

    deinit {
        stop()
    }

    /// Stops the mock and the bus.
    func stop() {
        mock.stop()
        bus.stop()
        directory.remove()
    }

    /// Starts a new mock on the same bus (after `mock.stop()`): logind coming back.
    func restart() throws {
        mock = try DBusMock(bus: bus, template: templatePath, name: "org.freedesktop.login1", system: true)
    }

    /// `busctl call` on a logind object.
    @discardableResult
    func call(_ path: String, _ interface: String, _ member: String, _ arguments: [String] = []) throws -> String {
        try mock.call(path, interface, member, arguments)
    }

    /// Adds a session of ``uid`` on seat0 (making the user object) and returns its object path,
    /// e.g. `/org/freedesktop/login1/session/_32` for id `_32` (logind escapes the id `2` so).
    @discardableResult
    func addSession(_ id: String) throws -> String {
        try call(
            "/org/freedesktop/login1", "org.freedesktop.DBus.Mock", "AddSession",
            ["ssusb", id, "seat0", String(uid), "tester", "true"])
        return "/org/freedesktop/login1/session/" + id
    }

    /// Makes `GetSession("auto")` return `path`, as logind does for the caller's session or the
    /// user's display session.
    func getSessionReturns(_ path: String) throws {
        try addManagerMethod("GetSession", "s", "o", "ret = '\(path)'")
    }

    /// Makes `GetSession("auto")` fail as logind before systemd 243 does for a process in no
    /// session.
    func getSessionFails() throws {
        try addManagerMethod(
            "GetSession", "s", "o",
            "raise dbus.exceptions.DBusException('No session \\'%s\\' known' % args[0], "
                + "name='org.freedesktop.login1.NoSuchSession')")
    }

    private func addManagerMethod(_ name: String, _ input: String, _ output: String, _ code: String) throws {
        try call(
            "/org/freedesktop/login1", "org.freedesktop.DBus.Mock", "AddMethod",
            ["sssss", "org.freedesktop.login1.Manager", name, input, output, code])
    }

    /// Sets the user's `Display` (the mock's `Set` emits `PropertiesChanged` as logind does);
    /// nil: no graphical session.
    func setDisplay(_ sessionPath: String?) throws {
        let id = sessionPath.map { String($0.split(separator: "/").last ?? "") } ?? ""
        try call(
            userPath, "org.freedesktop.DBus.Properties", "Set",
            ["ssv", "org.freedesktop.login1.User", "Display", "(so)", id, sessionPath ?? "/"])
    }

    /// Changes the user's `Display` without announcing it, as logind does when it frees the
    /// display session (the session's end is announced by ``removeSession(_:)``).
    func setDisplayQuietly(_ sessionPath: String?) throws {
        let id = sessionPath.map { String($0.split(separator: "/").last ?? "") } ?? ""
        try call(
            "/org/freedesktop/login1", "org.freedesktop.DBus.Mock", "AddMethod",
            [
                "sssss", "org.freedesktop.DBus.Mock", "SetDisplayQuietly", "so", "",
                "objects['\(userPath)'].props['org.freedesktop.login1.User']['Display'] = "
                    + "dbus.Struct((args[0], args[1]), signature='so')",
            ])
        try call(
            "/org/freedesktop/login1", "org.freedesktop.DBus.Mock", "SetDisplayQuietly", ["so", id, sessionPath ?? "/"])
    }

    /// Announces the end of a session as logind does: `SessionRemoved(id, path)` from the
    /// manager.
    func removeSession(_ sessionPath: String) throws {
        try mock.emit(
            "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "SessionRemoved", "so",
            [String(sessionPath.split(separator: "/").last ?? ""), sessionPath])
    }

    /// `SetLockedHint` on the session, as a screen locker calls it; the mock updates the property
    /// and emits `PropertiesChanged`, as logind does.
    func setLocked(_ sessionPath: String, _ locked: Bool) throws {
        try call(sessionPath, "org.freedesktop.login1.Session", "SetLockedHint", ["b", locked ? "true" : "false"])
    }

    /// Sets the session's idle hint and its instants and emits one `PropertiesChanged` with all
    /// three, as logind's `session_set_idle_hint` does.
    func setIdle(_ sessionPath: String, _ idle: Bool, sinceMonotonicMicroseconds: UInt64) throws {
        let realtime = UInt64(Date().timeIntervalSince1970 * 1e6)
        try call(
            sessionPath, "org.freedesktop.DBus.Mock", "UpdateProperties",
            [
                "sa{sv}", "org.freedesktop.login1.Session", "3", "IdleHint", "b", idle ? "true" : "false",
                "IdleSinceHint", "t", String(realtime), "IdleSinceHintMonotonic", "t",
                String(sinceMonotonicMicroseconds),
            ])
    }

    /// `PrepareForSleep(start)` from the manager.
    func prepareForSleep(_ start: Bool) throws {
        try mock.emit(
            "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", "b",
            [start ? "true" : "false"])
    }

    /// One inhibitor as `ListInhibitors` lists it.
    struct Inhibitor: Equatable, CustomStringConvertible {
        var what: String
        var who: String
        var mode: String
        var description: String { "\(what)/\(who)/\(mode)" }
    }

    /// `ListInhibitors`, read with busctl's JSON output.
    func inhibitors() throws -> [Inhibitor] {
        let text = try bus.busctl([
            "--json=short", "call", "org.freedesktop.login1", "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager", "ListInhibitors",
        ])
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let rows = ((object?["data"] as? [Any])?.first as? [[Any]]) ?? []
        return rows.map { row in
            Inhibitor(what: row[0] as? String ?? "", who: row[1] as? String ?? "", mode: row[3] as? String ?? "")
        }
    }

    /// Takes an inhibitor the way an application does, on a connection of the test's own, and
    /// returns its descriptor: closing it releases the inhibitor.
    func inhibit(_ what: String, who: String, mode: String = "block", loop: EventLoop) throws -> Int32 {
        let connection = try BusConnection(.system, environment: environment, loop: loop)
        let reply = try connection.call(
            "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "Inhibit",
            [.string(what), .string(who), .string("a test"), .string(mode)])
        guard case .fd(let fd)? = try reply.arguments().first else {
            throw TestFailure("Inhibit returned no descriptor")
        }
        return fd
    }
}
