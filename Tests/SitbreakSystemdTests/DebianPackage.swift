import Foundation
import SitbreakTesting
import Testing

/// The package `make deb` builds from the tests' debug binaries, and its installation with dpkg
/// into a private root (`--root`, maintainer scripts run without chroot), so the test machine is
/// untouched: what the `make deb` suite checks, and the tree the user-manager suite points a real
/// `systemd --user` at.
struct DebianPackage {
    /// The `.deb` file.
    let path: String

    /// Runs `make deb` with the built products into `directory`; fails with make's output.
    init(buildingIn directory: String) throws {
        let products = try builtProductsDirectory()
        let build = try make(["deb", "BINDIR_SOURCE=" + products, "DEB_DIR=" + directory])
        try #require(build.status == 0, "\(build.output)")
        let deb = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".deb") },
            "make deb left no .deb in \(directory)")
        path = directory + "/" + deb
    }

    /// dpkg's options for the private root `root`: no chroot for the maintainer scripts, and the
    /// dependencies (installed on this machine, not in that root) not checked.
    static func dpkgOptions(root: String) -> [String] {
        ["--root=" + root, "--force-script-chrootless", "--force-depends", "--force-not-root"]
    }

    /// `dpkg -i` into `root`, made an empty dpkg database first; fails with dpkg's output.
    func install(into root: String) throws {
        for directory in ["var/lib/dpkg/info", "var/lib/dpkg/updates"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        _ = FileManager.default.createFile(atPath: root + "/var/lib/dpkg/status", contents: nil)
        let install = try Self.dpkg(Self.dpkgOptions(root: root) + ["-i", path])
        try #require(install.status == 0, "\(install.output)")
    }

    /// `dpkg -P sitbreak` in `root`.
    static func purge(root: String) throws -> ExternalCommand.Result {
        try dpkg(dpkgOptions(root: root) + ["-P", "sitbreak"])
    }

    /// dpkg with a PATH that has ldconfig and start-stop-daemon (it checks for them).
    private static func dpkg(_ arguments: [String]) throws -> ExternalCommand.Result {
        try ExternalCommand.run(
            "/usr/bin/dpkg", arguments, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], package: "dpkg")
    }
}
