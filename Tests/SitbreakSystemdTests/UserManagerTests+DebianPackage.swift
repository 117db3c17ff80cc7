import Foundation
import SitbreakTesting
import Testing

// In the user-manager suite, so that it runs alone with it (the Makefile's `test` target): a
// manager starting beside other tests made both fail now and then.
extension UserManagerTests {
    @Test(
        "the Debian package's units: systemd --user finds the three in the package's /usr/lib/systemd/user and enables them",
        .tags(.dpkg), .needs(.dpkg))
    func debianPackageUnits() throws {
        let scratch = try TemporaryDirectory(prefix: "sitbreak-deb-units")
        defer { scratch.remove() }
        let package = try DebianPackage(buildingIn: scratch.path + "/deb")
        // Installed with dpkg into a private root (removed with the scratch directory); the manager
        // searches its /usr/lib/systemd/user first, as it searches the real one on a machine with
        // the package installed.
        let root = scratch.path + "/root"
        try package.install(into: root)
        let unitDirectory = root + "/usr/lib/systemd/user"
        let manager = try SystemdUserManager(unitPath: unitDirectory)
        defer { manager.stop() }
        let units = ["sitbreakd.socket", "sitbreakd.service", "sitbreak-notify.service"]

        let listed = try manager.systemctl(["list-unit-files", "sitbreak*"])
        try require(listed, manager)
        for unit in units {
            #expect(
                listed.stdout.split(separator: "\n").contains { $0.hasPrefix(unit + " ") },
                "\(unit) not listed: \(listed.output)")
            #expect(try manager.property(unit, "FragmentPath") == unitDirectory + "/" + unit)
            #expect(try manager.property(unit, "LoadState") == "loaded", "\(unit) does not load")
        }
        let execStart = try manager.property("sitbreakd.service", "ExecStart")
        #expect(execStart.contains("path=/usr/bin/sitbreakd ;"), "\(execStart)")

        // What the README tells a package's user to run (without --now: the package's binaries are
        // in the private root, not in /usr/bin).
        try require(manager.systemctl(["daemon-reload"]), manager)
        try require(manager.systemctl(["enable"] + units), manager)
        for unit in units {
            let enabled = try manager.systemctl(["is-enabled", unit])
            #expect(enabled.stdout == "enabled\n", "\(unit): \(enabled.output)")
        }
        // The links name the package's files.
        let wants = manager.home + "/.config/systemd/user/sockets.target.wants/sitbreakd.socket"
        #expect(
            (try? FileManager.default.destinationOfSymbolicLink(atPath: wants)) == unitDirectory + "/sitbreakd.socket")
    }
}
