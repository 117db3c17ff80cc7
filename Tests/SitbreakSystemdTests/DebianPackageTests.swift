import Foundation
import SitbreakTesting
import Testing

/// `make deb`: the package's contents, lintian, and an install and removal with dpkg into a
/// private root (``DebianPackage``), so the test machine is untouched. That a real `systemd --user`
/// sees and enables the package's units is checked with the other user-manager tests
/// (UserManagerTests+DebianPackage.swift), which run alone.
@Suite("make deb", .tags(.fixture, .make, .dpkg), .needs(.make, .dpkg))
struct DebianPackageTests {
    @Test("builds, installs into a private root with the expected files, and dpkg -r leaves nothing")
    func buildInstallRemove() throws {
        let scratch = try TemporaryDirectory(prefix: "sitbreak-deb")
        defer { scratch.remove() }
        let package = try DebianPackage(buildingIn: scratch.path + "/deb")

        let fields = try ExternalCommand.run("/usr/bin/dpkg-deb", ["-f", package.path, "Depends"], package: "dpkg")
        #expect(fields.stdout.contains("libc6") && fields.stdout.contains("libsystemd0"), "\(fields.output)")

        // lintian: no errors but RUNPATH, which only the debug build the test packages has, and
        // only the warning the README explains (there is no Debian bug for a first upload to close).
        let lint = try ExternalCommand.run("/usr/bin/lintian", [package.path], package: "lintian", timeout: 300)
        func tags(_ level: String) -> Set<String> {
            Set(
                lint.stdout.split(separator: "\n").filter { $0.hasPrefix(level + ": sitbreak") }.compactMap {
                    $0.split(separator: " ").dropFirst(2).first.map(String.init)
                })
        }
        #expect(tags("E").subtracting(["custom-library-search-path"]).isEmpty, "\(lint.output)")
        #expect(tags("W") == ["initial-upload-closes-no-bugs"], "\(lint.output)")
        #expect(try repositoryFile("README.md").contains("`initial-upload-closes-no-bugs`"), "the README names it")

        let root = scratch.path + "/root"
        try package.install(into: root)
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

        let remove = try DebianPackage.purge(root: root)
        #expect(remove.status == 0, "\(remove.output)")
        let left = (FileManager.default.enumerator(atPath: root + "/usr")?.compactMap { $0 as? String } ?? [])
            .filter { !FileManager.default.fileExists(atPath: root + "/usr/" + $0 + "/.") }
        #expect(left == [], "files left after removal: \(left)")
    }
}
