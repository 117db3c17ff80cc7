import Foundation
import SitbreakConfig
import SitbreakEngine
import SitbreakTesting
import Testing

@Suite struct ConfigLoaderTests {
    /// `config/sitbreak.toml` in this repository, found from this source file's path.
    private static let shippedConfigPath: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // SitbreakConfigTests/ConfigLoaderTests.swift under Tests/
        return parts.joined(separator: "/") + "/config/sitbreak.toml"
    }()

    /// A fresh directory for one test, removed afterwards by the caller.
    private func temporaryDirectory() throws -> String {
        try TemporaryDirectory(prefix: "sitbreak-config-tests").path
    }

    @Test func shippedConfigIsTheBuiltInDefault() throws {
        let loaded = try ConfigLoader.load(path: Self.shippedConfigPath)
        #expect(loaded == Schedule.builtInDefault)
        // Its [presence] spells out the default chains, every source named.
        let presence = try ConfigLoader.loadConfiguration(path: Self.shippedConfigPath).presence
        let defaults = Dictionary(
            uniqueKeysWithValues: PresencePreferences.knownSources.map { ($0.question, $0.sources) })
        #expect(presence.order == defaults)
    }

    @Test func shippedConfigDocumentsEveryKey() throws {
        let text = try String(contentsOfFile: Self.shippedConfigPath, encoding: .utf8)
        for key in [
            "idle_threshold", "coalesce", "day_starts", "daily_limit", "pause_default", "inhibitors_count_as_sitting",
            "active_hours", "every", "duration", "renotify", "max_nags", "snooze", "max_snoozes", "message",
            "suggestions", "suspend", "lock", "idle", "inhibit",
        ] {
            #expect(text.contains("\n\(key) = "), "\(key) is not set in config/sitbreak.toml")
        }
    }

    @Test func builtInDefault() {
        let schedule = Schedule.builtInDefault
        #expect(schedule.kinds.map(\.name) == ["posture", "walk", "stretch"])
        #expect(schedule.kinds.map(\.every) == [1200, 3000, 7200])
        #expect(schedule.kinds.map(\.duration) == [0, 300, 600])
        #expect(
            schedule.kinds.allSatisfy {
                $0.renotify == 300 && $0.maxNags == 3 && $0.snooze == 600 && $0.maxSnoozes == 2
            })
        #expect(schedule.kinds.allSatisfy { $0.suggestions.count >= 4 })
        #expect(schedule == Schedule(kinds: schedule.kinds))
    }

    @Test func missingFileIsAnError() {
        #expect(
            throws: ConfigError(
                file: "/nonexistent/sitbreak.toml", line: nil, key: nil,
                message: "no such file; check the path, or create the file (man sitbreak.toml documents every key)")
        ) {
            try ConfigLoader.load(path: "/nonexistent/sitbreak.toml")
        }
        #expect(
            (try? ConfigLoader.load(path: "/nonexistent/sitbreak.toml")) == nil)
    }

    @Test func directoryIsAnError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(
            throws: ConfigError(
                file: directory, line: nil, key: nil, message: "is a directory; give the path of a TOML file")
        ) {
            try ConfigLoader.load(path: directory)
        }
    }

    @Test func loadReadsAFileAndNamesItInErrors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.toml"
        try "[breaks.walk]\nevery = \"1m\"\nduration = \"2m\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(
            throws: ConfigError(
                file: path, line: 2, key: "breaks.walk.every",
                message: "\"1m\" is shorter than duration \"2m\"; make every at least as long as duration")
        ) {
            try ConfigLoader.load(path: path)
        }
        try "[breaks.walk]\nevery = \"3s\"\nduration = \"2s\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let kinds = try ConfigLoader.load(path: path).kinds
        #expect(kinds.map(\.name) == ["walk"] && kinds[0].every == 3 && kinds[0].duration == 2)
    }

    @Test func invalidUTF8IsAnError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.toml"
        try Data("a = 1\nb = \"".utf8 + [0xFF] + "\"\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ConfigError(file: path, line: 2, key: nil, message: "not valid UTF-8; save the file as UTF-8"))
        {
            try ConfigLoader.load(path: path)
        }
    }

    @Test func defaultPath() {
        #expect(
            ConfigLoader.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/sitbreak/config.toml")
        #expect(ConfigLoader.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/sitbreak/config.toml")
        #expect(
            ConfigLoader.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"])
                == "/h/.config/sitbreak/config.toml")
        #expect(
            ConfigLoader.defaultPath(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"])
                == "/h/.config/sitbreak/config.toml")
        #expect(ConfigLoader.defaultPath(environment: [:]) == nil)
    }

    @Test func loadDefaultFallsBackToTheBuiltInDefaultOnlyWhenThereIsNoFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["XDG_CONFIG_HOME": directory]

        let missing = try ConfigLoader.loadDefault(environment: environment)
        #expect(missing.schedule == Schedule.builtInDefault)
        #expect(missing.source == ConfigLoader.builtInSource)
        #expect(try ConfigLoader.loadDefault(environment: [:]).source == "built-in default")

        let path = directory + "/sitbreak/config.toml"
        try FileManager.default.createDirectory(atPath: directory + "/sitbreak", withIntermediateDirectories: true)
        try "idle_threshold = \"5m\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let present = try ConfigLoader.loadDefault(environment: environment)
        #expect(present.schedule.idleThreshold == 300)
        #expect(present.source == path)

        try "idle_threshold = 5\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try ConfigLoader.loadDefault(environment: environment) }
    }
}
