import Foundation
import SitbreakSystemd
import SitbreakTesting
import Testing

@Suite("journal catalog")
struct CatalogTests {
    /// The ids of `-- ID` lines, in file order.
    static func catalogIDs(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
    }

    @Test("one entry per MESSAGE_ID the code sends, each with Subject and Defined-By")
    func matchesCode() throws {
        let text = try repositoryFile("systemd/sitbreak.catalog")
        let ids = Self.catalogIDs(text)
        #expect(ids.count == Set(ids).count, "an id appears twice")
        #expect(Set(ids) == Set(JournalMessageID.all.map(\.id)))
        // Every entry: header lines, then a paragraph of explanation.
        let entries = text.components(separatedBy: "\n-- ").dropFirst()
        #expect(entries.count == JournalMessageID.all.count)
        for entry in entries {
            let lines = entry.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.contains { $0.hasPrefix("Subject: ") }, "\(lines.first ?? "")")
            #expect(lines.contains("Defined-By: sitbreak"), "\(lines.first ?? "")")
            let body = lines.drop { !$0.isEmpty }.filter { !$0.isEmpty }
            #expect(body.joined(separator: " ").count > 80, "\(lines.first ?? ""): explain the event")
        }
    }

    @Test(
        "journalctl --update-catalog accepts it and --list-catalog lists every id", .tags(.fixture, .systemdTools),
        .needs(.systemdTools))
    func journalctlAcceptsIt() throws {
        let root = try TemporaryDirectory(prefix: "sitbreak-catalog")
        defer { root.remove() }
        let directory = root.path + "/usr/lib/systemd/catalog"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: repositoryRoot + "/systemd/sitbreak.catalog", toPath: directory + "/sitbreak.catalog")
        let update = try ExternalCommand.run(
            "/usr/bin/journalctl", ["--root=" + root.path, "--update-catalog"], package: "systemd")
        #expect(update.status == 0 && update.output.isEmpty, "\(update.output)")
        let list = try ExternalCommand.run(
            "/usr/bin/journalctl", ["--root=" + root.path, "--list-catalog"], package: "systemd")
        #expect(list.status == 0, "\(list.output)")
        let listed = Set(list.stdout.split(separator: "\n").map { String($0.prefix(32)) })
        for (event, id) in JournalMessageID.all {
            #expect(listed.contains(id), "\(event) (\(id)) is not in the catalog journalctl built:\n\(list.stdout)")
        }
        #expect(list.stdout.split(separator: "\n").allSatisfy { $0.dropFirst(33).hasPrefix("sitbreak: ") })
    }

    @Test(
        "the same check rejects a malformed catalog (so the test above can fail)", .tags(.fixture, .systemdTools),
        .needs(.systemdTools))
    func journalctlRejectsGarbage() throws {
        let root = try TemporaryDirectory(prefix: "sitbreak-catalog-bad")
        defer { root.remove() }
        let directory = root.path + "/usr/lib/systemd/catalog"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try root.write("usr/lib/systemd/catalog/bad.catalog", "Subject: no id line first\n\nbody\n")
        let update = try ExternalCommand.run(
            "/usr/bin/journalctl", ["--root=" + root.path, "--update-catalog"], package: "systemd")
        #expect(update.status != 0)
        #expect(update.stderr.contains("bad.catalog"), "\(update.output)")
    }
}
