import Foundation
import SitbreakTesting
import Testing

/// `systemd/sitbreak-notify.service`: valid, hardened, part of the graphical session.
@Suite("the sitbreak-notify unit")
struct NotifyUnitTests {
    /// The unit in a fresh directory beside the daemon's socket, with ExecStart at `binary`.
    static func staged(in directory: TemporaryDirectory, binary: String) throws -> String {
        let unit = try repositoryFile("systemd/sitbreak-notify.service")
        let rewritten = unit.replacingOccurrences(
            of: "\nExecStart=/usr/local/bin/sitbreak-notify\n", with: "\nExecStart=\(binary)\n")
        #expect(rewritten != unit, "the unit no longer has the line make install rewrites")
        let units = directory.path + "/units"
        try FileManager.default.createDirectory(atPath: units, withIntermediateDirectories: true)
        try rewritten.write(toFile: units + "/sitbreak-notify.service", atomically: false, encoding: .utf8)
        try FileManager.default.copyItem(
            atPath: repositoryRoot + "/systemd/sitbreakd.socket", toPath: units + "/sitbreakd.socket")
        return units + "/sitbreak-notify.service"
    }

    @Test("systemd-analyze --user verify prints nothing")
    func verify() throws {
        let scratch = try TemporaryDirectory(prefix: "sitbreak-notify-unit")
        defer { scratch.remove() }
        let unit = try Self.staged(in: scratch, binary: "/bin/true")
        let runtime = try privateDirectory(in: scratch, "runtime")
        let result = try systemdAnalyze(["--user", "verify", "--man=no", unit], runtimeDirectory: runtime)
        #expect(result.output.isEmpty, "systemd-analyze verify complained:\n\(result.output)")
        let other = try TemporaryDirectory(prefix: "sitbreak-notify-unit-bad")
        defer { other.remove() }
        let missing = try systemdAnalyze(
            ["--user", "verify", "--man=no", try Self.staged(in: other, binary: other.path + "/nothing-here")],
            runtimeDirectory: runtime)
        #expect(missing.output.contains("nothing-here"), "the check can fail: \(missing.output)")
    }

    @Test("systemd-analyze --user security --offline scores it 3.0 or better")
    func security() throws {
        let scratch = try TemporaryDirectory(prefix: "sitbreak-notify-unit-security")
        defer { scratch.remove() }
        let unit = try Self.staged(in: scratch, binary: "/bin/true")
        let runtime = try privateDirectory(in: scratch, "runtime")
        let result = try systemdAnalyze(
            ["--user", "security", "--offline=true", "--man=no", "--no-pager", unit], runtimeDirectory: runtime)
        let marker = "Overall exposure level for sitbreak-notify.service: "
        let line = try #require(
            result.output.split(separator: "\n").first { $0.contains(marker) }, "no score in:\n\(result.output)")
        let score = try #require(
            Double(line.components(separatedBy: marker)[1].prefix { $0.isNumber || $0 == "." }), "\(line)")
        #expect(score <= 3.0, "exposure \(score):\n\(result.output)")
    }

    @Test("part of the graphical session, after the daemon's socket, restarted on failure, reloadable")
    func settingsOfTheSession() throws {
        let all = settings(try repositoryFile("systemd/sitbreak-notify.service"))
        func values(_ key: String) -> [String] { all.filter { $0.key == key }.map(\.value) }
        #expect(values("ExecStart") == ["/usr/local/bin/sitbreak-notify"])
        #expect(values("PartOf") == ["graphical-session.target"])
        #expect(values("After").contains("graphical-session.target"))
        #expect(values("After").contains("sitbreakd.socket"))
        #expect(values("Wants") == ["sitbreakd.socket"])
        #expect(values("WantedBy") == ["graphical-session.target"])
        #expect(values("Restart") == ["on-failure"])
        #expect(values("ExecReload") == ["/bin/kill -HUP $MAINPID"])
        #expect(values("RestrictAddressFamilies") == ["AF_UNIX"])
    }
}
