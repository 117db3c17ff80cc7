import SitbreakEngine
import SitbreakTesting
import Testing

@testable import SitbreakConfig

/// The configuration's stated limits (config/sitbreak.toml): a file of at most 1 MiB, keys,
/// tables and arrays nested at most 16 levels, at most 64 break kinds. Just under each limit is
/// accepted; over it is one clear error naming the line, found quickly, never a crash.
@Suite struct ConfigLimitsTests {
    private func tomlError(_ text: String) -> String? {
        do {
            _ = try TOMLParser.parse(text, file: "config.toml")
            return nil
        } catch {
            return error.description
        }
    }

    private static let depthAdvice =
        "a key or table nested more than 16 levels deep; nest at most 16 levels (sitbreak's keys need 3, e.g. breaks.walk.every)"

    private static func dotted(_ count: Int) -> String {
        Array(repeating: "a", count: count).joined(separator: ".")
    }

    /// The stated limits themselves, so that a change to one is a change to this specification.
    @Test func statedLimits() {
        #expect(ConfigLoader.maximumFileSize == 1024 * 1024)
        #expect(TOMLParser.maximumDepth == 16)
        #expect(ScheduleDecoder.maximumKinds == 64)
    }

    // MARK: - File size

    /// A comment pads `text` to exactly `size` bytes.
    private static func padded(_ text: String, to size: Int) -> String {
        let padding = size - text.utf8.count - 2
        return text + "#" + String(repeating: "x", count: padding) + "\n"
    }

    @Test func fileOfOneMebibyteIsAcceptedOneByteMoreIsNot() throws {
        let size = ConfigLoader.maximumFileSize
        let atLimit = Self.padded(walkTable + "\n", to: size)
        #expect(atLimit.utf8.count == size)
        #expect(try schedule(atLimit).kinds.map(\.name) == ["walk"])
        let over = Self.padded(walkTable + "\n", to: size + 1)
        let message =
            "config.toml: is larger than 1024 KiB; give the path of a configuration file (a configuration needs a few KiB)"
        #expect(configError(over) == message)

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("config.toml", over)
        #expect(throws: ConfigLoader.tooLarge(file: path)) { try ConfigLoader.load(path: path) }
        #expect(try ConfigLoader.load(path: try directory.write("ok.toml", atLimit)).kinds.count == 1)
    }

    // MARK: - Nesting

    @Test func headersNestSixteenLevels() throws {
        let table = try TOMLParser.parse("[\(Self.dotted(15))]\nx = 1", file: "config.toml")
        #expect(table.entries.map(\.key) == ["a"])
        #expect(tomlError("[\(Self.dotted(16))]") == nil)
        // Its keys are one level deeper still.
        #expect(tomlError("[\(Self.dotted(16))]\nx = 1") == "config.toml:2: \(Self.dotted(16)).x: \(Self.depthAdvice)")
        #expect(tomlError("[\(Self.dotted(17))]") == "config.toml:1: \(Self.dotted(17)): \(Self.depthAdvice)")
    }

    @Test func dottedKeysCountTheirTablesPath() {
        #expect(tomlError("\(Self.dotted(16)) = 1") == nil)
        #expect(tomlError("\(Self.dotted(17)) = 1") == "config.toml:1: \(Self.dotted(17)): \(Self.depthAdvice)")
        // Under [a.b] a key starts two levels down.
        #expect(tomlError("[a.b]\n\(Self.dotted(14)) = 1") == nil)
        #expect(
            tomlError("[a.b]\n\(Self.dotted(15)) = 1") == "config.toml:2: a.b.\(Self.dotted(15)): \(Self.depthAdvice)")
    }

    @Test func inlineTablesCountTheirKeys() {
        let deep = { (levels: Int) in
            "a = " + String(repeating: "{a = ", count: levels - 1) + "1" + String(repeating: "}", count: levels - 1)
        }
        #expect(tomlError(deep(16)) == nil)
        #expect(tomlError(deep(17)) == "config.toml:1: \(Self.dotted(17)): \(Self.depthAdvice)")
    }

    @Test func arraysCountWithTheKey() {
        let deep = { (levels: Int) in
            "a = " + String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        }
        #expect(tomlError(deep(15)) == nil)
        #expect(
            tomlError(deep(16))
                == "config.toml:1: a: arrays nested more than 16 levels deep (counting the key's parts); nest at most 16 levels"
        )
    }

    /// The reported crash: 40,000 header parts (80 KB) overflowed the stack when the parsed
    /// tables were released, and 100,000 dotted parts took 37 s. Now parsing stops at the 17th
    /// part, whatever follows.
    @Test(arguments: [40_000, 100_000])
    func hugeHeadersAndDottedKeysFailFast(parts: Int) {
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(
                configError("[\(Self.dotted(parts))]\n") == "config.toml:1: \(Self.dotted(17)): \(Self.depthAdvice)")
            #expect(
                configError("\(Self.dotted(parts)) = 1\n") == "config.toml:1: \(Self.dotted(17)): \(Self.depthAdvice)")
            #expect(configError("a = " + String(repeating: "[", count: parts)) != nil)
            #expect(configError("a = " + String(repeating: "{a = ", count: parts)) != nil)
        }
        #expect(elapsed < .seconds(1))
    }

    /// Strings are bounded only by the file size; a key or source name that long is still
    /// reported quickly (the suggestion for a misspelt key once built a table per candidate as
    /// large as the key: 16 s for a 1 MB key).
    @Test func megabyteLongNamesAreReportedQuickly() {
        let long = String(repeating: "x", count: 1_000_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(KeySuggestion.closest(to: long, among: ScheduleDecoder.globalKeys) == nil)
            #expect(
                KeySuggestion.closest(to: "idle_threshol" + long.prefix(1), among: ScheduleDecoder.globalKeys)
                    == "idle_threshold")
        }
        #expect(elapsed < .seconds(1))
    }

    // MARK: - Kinds

    private static func kinds(_ count: Int) -> String {
        (0..<count).map { "[breaks.k\($0)]\nevery = \"50m\"\nduration = \"5m\"\n" }.joined()
    }

    @Test func sixtyFourKindsAreAcceptedSixtyFiveAreNot() throws {
        #expect(try schedule(Self.kinds(64)).kinds.count == 64)
        // The 65th kind's header is on line 64 * 3 + 1.
        #expect(
            configError(Self.kinds(65))
                == "config.toml:193: breaks.k64: more than 64 break kinds; define at most 64 [breaks.NAME] tables")
        #expect(
            configError(
                "breaks = {" + (0..<65).map { "k\($0) = {every = \"1m\", duration = \"0s\"}" }.joined(separator: ", ")
                    + "}")
                == "config.toml:1: breaks.k64: more than 64 break kinds; define at most 64 [breaks.NAME] tables")
    }

    /// 20,000 valid kinds made every `status` reply take 2 s. No configuration can define them
    /// any more, so a schedule reaching the engine, the daemon and `status` holds at most 64
    /// kinds; the file is refused with the line to fix.
    @Test func twentyThousandKindsCannotReachTheDaemon() {
        let text = Self.kinds(20_000)
        #expect(
            configError(text)
                == "config.toml:193: breaks.k64: more than 64 break kinds; define at most 64 [breaks.NAME] tables")
    }
}
