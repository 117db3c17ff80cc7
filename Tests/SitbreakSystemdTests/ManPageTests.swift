import Foundation
import SitbreakTesting
import Testing

/// The manual pages under man/ render without a single warning, and sitbreakctl(1) knows every
/// subcommand (it is generated from the command tree: `make man`).
@Suite("man pages", .tags(.fixture, .make), .needs(.make))
struct ManPageTests {
    @Test(
        "renders without warnings", arguments: ["sitbreakctl.1", "sitbreakd.1", "sitbreak-notify.1", "sitbreak.toml.5"])
    func rendersCleanly(page: String) throws {
        let path = repositoryRoot + "/man/" + page
        let groff = try ExternalCommand.run("/usr/bin/groff", ["-ww", "-mandoc", "-z", path], package: "groff")
        #expect(groff.status == 0 && groff.output.isEmpty, "\(groff.output)")
        let man = try ExternalCommand.run(
            "/usr/bin/man", ["--warnings", "-l", path], environment: ["MANPAGER": "cat", "MANWIDTH": "80"],
            package: "man-db")
        #expect(man.status == 0 && man.stderr.isEmpty, "\(man.stderr)")
    }

    @Test("sitbreakctl(1) is current: it names every subcommand")
    func generatedPageIsCurrent() throws {
        let page = try repositoryFile("man/sitbreakctl.1")
        for command in [
            "status", "snooze", "skip", "done", "pause", "resume", "watch", "reload", "presence", "doctor",
            "version", "simulate", "stats", "config", "check", "history", "history-import",
        ] {
            #expect(
                page.contains(".It Em " + command) || page.contains("sitbreakctl " + command),
                "\(command) missing; run make man")
        }
    }
}
