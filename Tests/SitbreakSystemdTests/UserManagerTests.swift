import Foundation
import SitbreakTesting
import Testing

/// The installed units under a real `systemd --user` (docs/testing.md §2.9): `make install` into a
/// fresh home, socket activation, readiness and STATUS, restarts after `kill -9` that keep an
/// acknowledged pause, notifications through python3-dbusmock's `notification_daemon` on the
/// session bus the manager was given, and `enable` as `make install` advises.
@Suite(
    "systemd user manager", .serialized, .tags(.fixture, .userManager, .make, .dbusmock),
    .needs(.userManager, .make, .dbusmock))
struct UserManagerTests {
    @Test("installed units: socket activation, STATUS, reminders on the session bus, restarts after kill -9, enable")
    func installedUnits() throws {
        let started = Date()
        let manager = try SystemdUserManager()
        defer { manager.stop() }
        let products = try builtProductsDirectory()
        let home = manager.home
        let bin = home + "/.local/bin"

        // A user install into the manager's home: units in ~/.config/systemd/user, read natively.
        let install = try make(
            ["install", "PREFIX=" + home + "/.local", "BINDIR_SOURCE=" + products], environment: manager.environment)
        try #require(install.status == 0, "\(install.output)")
        #expect(install.stdout.contains("systemctl --user enable --now sitbreak-notify.service"))
        let unitDirectory = home + "/.config/systemd/user"
        for unit in ["sitbreakd.socket", "sitbreakd.service", "sitbreak-notify.service"] {
            #expect(FileManager.default.fileExists(atPath: unitDirectory + "/" + unit), "\(unit) not installed")
            try manager.dropIn(unit, name: "container", SystemdUserManager.containerDropIn)
        }
        try FileManager.default.createDirectory(atPath: home + "/.config/sitbreak", withIntermediateDirectories: true)
        // No ~/.local/state/sitbreak yet: the very first start must make it (it once failed with
        // 226/NAMESPACE while ReadWritePaths= named the missing directory).
        #expect(!FileManager.default.fileExists(atPath: home + "/.local/state/sitbreak"))
        try DaemonConfigs.fast.write(toFile: home + "/.config/sitbreak/config.toml", atomically: false, encoding: .utf8)

        // The desktop session's bus (outside /tmp: the units have PrivateTmp=), with a notification
        // server on it, imported into the manager as a session would.
        let bus = try PrivateBus(parent: manager.root)
        defer { bus.stop() }
        let server = try DBusMock(
            bus: bus, template: "notification_daemon", name: "org.freedesktop.Notifications", system: false)
        defer { server.stop() }
        try require(manager.systemctl(["set-environment", "DBUS_SESSION_BUS_ADDRESS=" + bus.address]))
        try require(manager.systemctl(["daemon-reload"]))

        try require(manager.systemctl(["start", "sitbreakd.socket", "sitbreak-notify.service"]), manager)
        let notify = #"Notify "sitbreak""#
        func reminders() -> Int { server.log.components(separatedBy: notify).count - 1 }
        // sitbreak-notify's first connection starts the daemon through the socket.
        try wait(60, "no reminder reached the notification server", manager, server) { reminders() >= 1 }
        #expect(try manager.property("sitbreakd.service", "ActiveState") == "active")
        let execStart = try manager.property("sitbreakd.service", "ExecStart")
        #expect(execStart.contains("path=" + bin + "/sitbreakd ;"), "\(execStart)")

        // Type=notify: the daemon's STATUS= line is what `systemctl status` shows.
        let statusText = try manager.property("sitbreakd.service", "StatusText")
        #expect(!statusText.isEmpty, "sitbreakd sent no STATUS=")
        let status = try manager.systemctl(["status", "sitbreakd.service"])
        #expect(status.stdout.contains("Status: \"\(statusText)\""), "\(status.output)")
        print("sitbreakd StatusText under systemd --user: \(statusText)")

        // kill -9 of sitbreak-notify: systemd restarts it, and the next reminder still arrives.
        let notifier = try #require(try manager.mainPID("sitbreak-notify.service"))
        kill(notifier, SIGKILL)
        try wait(30, "sitbreak-notify was not restarted", manager, server) {
            let pid = try manager.mainPID("sitbreak-notify.service")
            let state = try manager.property("sitbreak-notify.service", "ActiveState")
            return pid != nil && pid != notifier && state == "active"
        }
        #expect(try manager.property("sitbreak-notify.service", "NRestarts") == "1")
        let before = reminders()
        try wait(60, "no reminder after sitbreak-notify's restart", manager, server) { reminders() > before }

        // An acknowledged pause survives kill -9 of the daemon and its restart by systemd.
        let pause = try sitbreakctl(["pause", "1h"], manager, bin: bin)
        try #require(pause.status == 0, "\(pause.output)")
        #expect(try pausedUntil(manager, bin: bin) != nil, "the pause did not take")
        let daemon = try #require(try manager.mainPID("sitbreakd.service"))
        kill(daemon, SIGKILL)
        try wait(60, "sitbreakd was not restarted", manager, server) {
            let pid = try manager.mainPID("sitbreakd.service")
            let state = try manager.property("sitbreakd.service", "ActiveState")
            return pid != nil && pid != daemon && state == "active"
        }
        #expect(try manager.property("sitbreakd.service", "NRestarts") == "1")
        #expect(try pausedUntil(manager, bin: bin) != nil, "the pause was lost in the restart")

        // `systemctl --user enable` as `make install` prints it: the units are seen as enabled.
        try require(manager.systemctl(["enable", "sitbreakd.socket", "sitbreakd.service", "sitbreak-notify.service"]))
        for unit in ["sitbreakd.socket", "sitbreakd.service", "sitbreak-notify.service"] {
            let enabled = try manager.systemctl(["is-enabled", unit])
            #expect(enabled.stdout == "enabled\n", "\(unit): \(enabled.output)")
        }
        let files = try manager.systemctl(["list-unit-files", "sitbreak*"])
        for unit in ["sitbreakd.socket", "sitbreakd.service", "sitbreak-notify.service"] {
            #expect(files.stdout.contains(unit), "\(files.output)")
        }

        // Idle memory under the manager, as the README's figures need it: 30 s after the restart,
        // paused (nothing falls due).
        sleep(30)
        let pid = try #require(try manager.mainPID("sitbreakd.service"))
        let rollup = try String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)
        func field(_ name: String) -> String {
            rollup.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map {
                $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
            } ?? "?"
        }
        print("sitbreakd idle under systemd --user: Rss \(field("Rss")), Pss \(field("Pss"))")
        print("UserManagerTests ran \(Int(Date().timeIntervalSince(started))) s")
    }

    /// Fails with the command's output (and the manager's log) when it did not succeed.
    func require(_ result: ExternalCommand.Result, _ manager: SystemdUserManager? = nil) throws {
        try #require(result.status == 0, "\(result.output)\n\(manager?.log ?? "")")
    }

    /// Runs the installed `sitbreakctl` against the socket the manager listens on.
    func sitbreakctl(_ arguments: [String], _ manager: SystemdUserManager, bin: String) throws
        -> ExternalCommand.Result
    {
        try ExternalCommand.run(bin + "/sitbreakctl", arguments, environment: manager.environment, timeout: 60)
    }

    /// `paused_until` of `sitbreakctl status --json`, nil when not paused.
    func pausedUntil(_ manager: SystemdUserManager, bin: String) throws -> String? {
        let status = try sitbreakctl(["status", "--json"], manager, bin: bin)
        try #require(status.status == 0, "\(status.output)")
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return object?["paused_until"] as? String
    }

    /// Polls `condition` every 100 ms for up to `timeout` seconds; fails with what the manager and
    /// the server logged.
    func wait(
        _ timeout: Double, _ message: String, _ manager: SystemdUserManager, _ server: DBusMock,
        _ condition: () throws -> Bool
    ) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return }
            usleep(100_000)
        }
        let units = try? manager.systemctl([
            "status", "sitbreakd.socket", "sitbreakd.service", "sitbreak-notify.service",
        ])
        try #require(
            Bool(false), "\(message) within \(timeout) s\n\(units?.output ?? "")\n\(manager.log)\n\(server.log)")
    }
}
