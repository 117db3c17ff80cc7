import Foundation
import SitbreakTesting
import Testing

/// `make deb`: the package's contents, lintian, and an install and removal with dpkg into a
/// private root (`--root`, maintainer scripts run without chroot), so the test machine is untouched.
@Suite("make deb", .tags(.fixture, .make, .dpkg), .needs(.make, .dpkg))
struct DebianPackageTests {
    @Test("builds, installs into a private root with the expected files, and dpkg -r leaves nothing")
    func buildInstallRemove() throws {
        let products = try builtProductsDirectory()
        let scratch = try TemporaryDirectory(prefix: "sitbreak-deb")
        defer { scratch.remove() }
        let build = try make(["deb", "BINDIR_SOURCE=" + products, "DEB_DIR=" + scratch.path + "/deb"])
        try #require(build.status == 0, "\(build.output)")
        let deb = try #require(
            try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/deb").first { $0.hasSuffix(".deb") })
        let package = scratch.path + "/deb/" + deb

        let fields = try ExternalCommand.run("/usr/bin/dpkg-deb", ["-f", package, "Depends"], package: "dpkg")
        #expect(fields.stdout.contains("libc6") && fields.stdout.contains("libsystemd0"), "\(fields.output)")

        // lintian: no errors but RUNPATH, which only the debug build the test packages has.
        let lint = try ExternalCommand.run("/usr/bin/lintian", [package], package: "lintian", timeout: 300)
        let errors = lint.stdout.split(separator: "\n").filter {
            $0.hasPrefix("E:") && !$0.contains("custom-library-search-path")
        }
        #expect(errors.isEmpty, "\(lint.output)")

        let root = scratch.path + "/root"
        for directory in ["var/lib/dpkg/info", "var/lib/dpkg/updates"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        _ = FileManager.default.createFile(atPath: root + "/var/lib/dpkg/status", contents: nil)
        let dpkgOptions = ["--root=" + root, "--force-script-chrootless", "--force-depends", "--force-not-root"]
        let install = try ExternalCommand.run(
            "/usr/bin/dpkg", dpkgOptions + ["-i", package], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
            package: "dpkg")
        try #require(install.status == 0, "\(install.output)")
        for file in [
            "usr/bin/sitbreakd", "usr/bin/sitbreakctl", "usr/bin/sitbreak-notify",
            "usr/lib/systemd/user/sitbreakd.service", "usr/lib/systemd/user/sitbreakd.socket",
            "usr/lib/systemd/user/sitbreak-notify.service", "usr/lib/systemd/catalog/sitbreak.catalog",
            "usr/share/man/man1/sitbreak-notify.1.gz", "usr/share/applications/sitbreak.desktop",
            "usr/share/man/man1/sitbreakctl.1.gz", "usr/share/man/man1/sitbreakd.1.gz",
            "usr/share/man/man5/sitbreak.toml.5.gz", "usr/share/doc/sitbreak/sitbreak.toml",
            "usr/share/doc/sitbreak/copyright", "usr/share/doc/sitbreak/changelog.Debian.gz",
            "usr/share/bash-completion/completions/sitbreakctl",
        ] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + file), "\(file) not installed")
        }
        let service = try String(contentsOfFile: root + "/usr/lib/systemd/user/sitbreakd.service", encoding: .utf8)
        #expect(settings(service).filter { $0.key == "ExecStart" }.map(\.value) == ["/usr/bin/sitbreakd"])
        // postinst updated the catalog database of that root.
        #expect(FileManager.default.fileExists(atPath: root + "/var/lib/systemd/catalog/database"))

        let remove = try ExternalCommand.run(
            "/usr/bin/dpkg", dpkgOptions + ["-P", "sitbreak"], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
            package: "dpkg")
        #expect(remove.status == 0, "\(remove.output)")
        let left = (FileManager.default.enumerator(atPath: root + "/usr")?.compactMap { $0 as? String } ?? [])
            .filter { !FileManager.default.fileExists(atPath: root + "/usr/" + $0 + "/.") }
        #expect(left == [], "files left after removal: \(left)")
    }
}
