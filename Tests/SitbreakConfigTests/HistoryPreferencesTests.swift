import Foundation
import SitbreakConfig
import Testing

/// `[history]`: the retention period, and an exact message for each mistake.
@Suite struct HistoryPreferencesTests {
    static func keep(_ text: String) throws -> Int64? {
        try ConfigLoader.parseConfiguration(text: text, file: "config.toml").history.keep
    }

    @Test func withoutTheTableTwoYearsAreKept() throws {
        #expect(try Self.keep("") == 2 * 365 * 86_400)
    }

    @Test(
        "periods in years, weeks and days; off keeps everything",
        arguments: [
            ("2y", Int64?.some(2 * 365 * 86_400)), ("8w", 8 * 7 * 86_400), ("90d", 90 * 86_400), ("off", nil),
        ])
    func periods(text: String, seconds: Int64?) throws {
        #expect(try Self.keep("[history]\nkeep = \"\(text)\"\n") == seconds)
    }

    @Test(
        "mistakes name the line and the key",
        arguments: [
            (
                "[history]\nkeep = \"2 years\"\n",
                "config.toml:2: history.keep: \"2 years\" is not a retention period; write a period such as \"2y\", \"90d\" or \"8w\" (up to 100 years), or \"off\" to keep everything"
            ),
            (
                "[history]\nkeep = \"0d\"\n",
                "config.toml:2: history.keep: \"0d\" is not a retention period; write a period such as \"2y\", \"90d\" or \"8w\" (up to 100 years), or \"off\" to keep everything"
            ),
            (
                "[history]\nkeep = 2\n",
                "config.toml:2: history.keep: the integer 2 is not a string; write a period such as \"2y\", \"90d\" or \"8w\" (up to 100 years), or \"off\" to keep everything"
            ),
            (
                "[history]\nkep = \"2y\"\n",
                "config.toml:2: history.kep: unknown key; did you mean keep? valid keys: keep"
            ),
            ("history = 3\n", "config.toml:1: history: the integer 3 is not a table; write a [history] table"),
        ])
    func mistakes(text: String, message: String) {
        #expect(PresencePreferencesTests.failure(text) == message)
    }

    @Test func theShippedExampleParses() throws {
        let text = try String(
            contentsOfFile: #filePath.replacingOccurrences(
                of: "Tests/SitbreakConfigTests/HistoryPreferencesTests.swift", with: "config/sitbreak.toml"),
            encoding: .utf8)
        #expect(try ConfigLoader.parseConfiguration(text: text, file: "sitbreak.toml").history.keep == 2 * 365 * 86_400)
    }
}
