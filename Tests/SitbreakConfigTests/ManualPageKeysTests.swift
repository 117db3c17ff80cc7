import Foundation
import SitbreakEngine
import SitbreakTesting
import Testing

@testable import SitbreakConfig

/// sitbreak.toml(5) documents every key the configuration accepts, each in the section of its
/// table: the lists are the decoders' own, so a key added to the code and not to the manual fails
/// here instead of leaving the reader with a setting nobody describes.
@Suite struct ManualPageKeysTests {
    /// The manual's text between `.Sh TITLE` and the next `.Sh`.
    static func section(_ title: String) throws -> String {
        let page = try String(
            contentsOfFile: BuiltProducts.repositoryRoot + "/man/sitbreak.toml.5", encoding: .utf8)
        let sections = page.components(separatedBy: "\n.Sh ")
        return try #require(sections.first { $0.hasPrefix(title + "\n") }, "no .Sh \(title) in sitbreak.toml(5)")
    }

    /// The tables a top-level key may name instead of a value.
    static let tables: Set<String> = ["notify", "hooks", "presence", "history", "breaks"]

    @Test(
        "every key is described in its table's section",
        arguments: [
            ("TOP-LEVEL KEYS", ScheduleDecoder.globalKeys.filter { !tables.contains($0) }),
            ("NOTIFY", NotifyDecoder.keys),
            ("HOOKS", HookPreferences.settingKeys + EventType.allCases.map(\.name)),
            ("PRESENCE", PresencePreferences.knownSources.map(\.question)),
            ("HISTORY", HistoryDecoder.keys),
            ("BREAK KINDS", ScheduleDecoder.kindKeys),
        ])
    func keysAreDocumented(section title: String, keys: [String]) throws {
        let text = try Self.section(title)
        for key in keys {
            #expect(
                text.contains("Cm " + key + " ") || text.contains("Cm " + key + "\n"), "\(title): \(key) is missing")
        }
    }

    @Test("every table is named in the manual", arguments: ["notify", "hooks", "presence", "history", "breaks."])
    func tablesAreNamed(table: String) throws {
        let page = try String(
            contentsOfFile: BuiltProducts.repositoryRoot + "/man/sitbreak.toml.5", encoding: .utf8)
        #expect(page.contains(".Ic [" + table), "[\(table)] is not described")
    }
}
