import Foundation
import SitbreakTesting

/// The GNOME and KDE services of the presence tests: python3-dbusmock on a ``PrivateBus`` standing
/// in for the session bus, with the templates in `Mocks/` (read from the source tree).
enum SessionBusMocks {
    /// The folder of the tests' own dbusmock templates.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Mocks")
        .path

    static let mutterName = "org.gnome.Mutter.IdleMonitor"
    static let mutterPath = "/org/gnome/Mutter/IdleMonitor/Core"
    static let mutterInterface = "org.gnome.Mutter.IdleMonitor"
    static let mockInterface = "org.freedesktop.DBus.Mock"

    /// The environment a source (or the daemon) needs to find `bus` as its session bus.
    static func environment(_ bus: PrivateBus) -> [String: String] {
        ["DBUS_SESSION_BUS_ADDRESS": bus.address]
    }

    /// Starts the template `file` of `Mocks/` owning `name`.
    static func start(_ file: String, name: String, on bus: PrivateBus, parameters: String? = nil) throws -> DBusMock {
        try DBusMock(bus: bus, template: directory + "/" + file, name: name, system: false, parameters: parameters)
    }

    /// Mutter's idle monitor, idle for `idleMilliseconds` at start.
    static func mutter(on bus: PrivateBus, idleMilliseconds: Int = 0) throws -> DBusMock {
        try start(
            "mutter_idle_monitor.py", name: mutterName, on: bus, parameters: #"{"idletime": \#(idleMilliseconds)}"#)
    }

    /// The watches registered with a Mutter mock: id → interval in milliseconds (0: user-active).
    static func watches(_ mock: DBusMock) throws -> [UInt32: UInt64] {
        // busctl prints `a{ut} COUNT KEY VALUE KEY VALUE…`.
        let words = try mock.call(mutterPath, mockInterface, "GetWatches").split(whereSeparator: \.isWhitespace)
        var watches: [UInt32: UInt64] = [:]
        var index = 2
        while index + 1 < words.count {
            if let id = UInt32(words[index]), let interval = UInt64(words[index + 1]) { watches[id] = interval }
            index += 2
        }
        return watches
    }

    /// The one idle watch (interval `milliseconds`) registered with a Mutter mock.
    static func idleWatch(_ mock: DBusMock, milliseconds: UInt64) throws -> UInt32? {
        try watches(mock).first { $0.value == milliseconds }?.key
    }

    /// The user-active watch registered with a Mutter mock, if any.
    static func userActiveWatch(_ mock: DBusMock) throws -> UInt32? {
        try watches(mock).first { $0.value == 0 }?.key
    }

    /// Fires one of a Mutter mock's watches as Mutter would.
    static func fire(_ mock: DBusMock, _ watch: UInt32) throws {
        try mock.call(mutterPath, mockInterface, "FireWatch", ["u", String(watch)])
    }

    /// A keystroke for a Mutter mock: every user-active watch fires.
    static func input(_ mock: DBusMock) throws {
        try mock.call(mutterPath, mockInterface, "Input")
    }

    /// How many times the mock's log shows `member` called.
    static func calls(_ member: String, in mock: DBusMock) -> Int {
        mock.log.split(separator: "\n").filter { $0.split(separator: " ").dropFirst().first.map(String.init) == member }
            .count
    }
}
