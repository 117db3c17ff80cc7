import Foundation
import SitbreakTesting
import Testing

@Suite("PrivateJournal fixture", .tags(.fixture, .journald), .needs(.journald))
struct PrivateJournalTests {
    @Test("an entry written inside the namespace is read back with its fields")
    func roundTrip() throws {
        let journal = try PrivateJournal.start()
        defer { journal.stop() }
        let tag = "sitbreak-test-\(UUID().uuidString.prefix(8))"
        let written = try journal.shell("echo 'hello journal' | systemd-cat -t \(tag) -p notice")
        try #require(written.status == 0, "\(written.output)")
        let entries = try journal.entries(matching: ["SYSLOG_IDENTIFIER=\(tag)"])
        try #require(entries.count == 1, "\(entries)")
        #expect(entries[0]["MESSAGE"] == "hello journal")
        #expect(entries[0]["PRIORITY"] == "5")
        #expect(try journal.entries(matching: ["SYSLOG_IDENTIFIER=nobody-wrote-this"]).isEmpty)
    }

    @Test("two journals are separate, and the machine's /run is untouched")
    func isolation() throws {
        let first = try PrivateJournal.start()
        let second = try PrivateJournal.start()
        defer {
            first.stop()
            second.stop()
        }
        #expect(first.namespacePID != second.namespacePID)
        try first.shell("systemd-cat -t sitbreak-first echo one")
        try second.shell("systemd-cat -t sitbreak-second echo two")
        #expect(try first.entries(matching: ["SYSLOG_IDENTIFIER=sitbreak-second"]).isEmpty)
        #expect(try second.entries(matching: ["SYSLOG_IDENTIFIER=sitbreak-first"]).isEmpty)
        #expect(try first.entries(matching: ["SYSLOG_IDENTIFIER=sitbreak-first"]).count == 1)
        #expect(!FileManager.default.fileExists(atPath: "/run/systemd/journal/socket"), "journald leaked onto the host")
    }

    @Test("repeated fields and unprintable bytes come back as text")
    func binaryField() throws {
        let journal = try PrivateJournal.start()
        defer { journal.stop() }
        // journalctl prints a repeated field as an array and a value with control bytes as an array
        // of byte values; the fixture turns both into text.
        let written = try journal.shell(
            "printf 'MESSAGE=bell\\001here\\nSYSLOG_IDENTIFIER=sitbreak-multi\\nSITBREAK_X=a\\nSITBREAK_X=b\\n'"
                + " | logger --journald")
        try #require(written.status == 0, "\(written.output)")
        let entries = try journal.entries(matching: ["SYSLOG_IDENTIFIER=sitbreak-multi"])
        try #require(entries.count == 1, "\(entries)")
        #expect(entries[0].fields["SITBREAK_X"]?.sorted() == ["a", "b"])
        #expect(entries[0]["MESSAGE"] == "bell\u{01}here")
    }

    @Test("stopping ends journald; the socket is gone with the namespace")
    func stop() throws {
        let journal = try PrivateJournal.start()
        let pid = journal.namespacePID
        journal.stop()
        journal.stop()
        #expect(kill(pid, 0) != 0, "the namespace holder \(pid) still runs")
    }
}
