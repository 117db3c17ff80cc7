import Testing

@testable import SitbreakPresence

/// Splitting and reading swayidle's output, byte pieces as non-blocking reads return them.
struct SwayidleOutputTests {
    @Test func linesCompleteAtTheirLineFeedAcrossReads() {
        var output = SwayidleOutput()
        #expect(output.lines(from: Array("id".utf8)) == [])
        #expect(output.lines(from: Array("le\nact".utf8)) == ["idle"])
        #expect(output.lines(from: Array("ive\nidle\nactive\n".utf8)) == ["active", "idle", "active"])
        #expect(output.lines(from: Array("\n".utf8)) == [""])
    }

    @Test func anOverlongLineIsDroppedAndTheNextOneKept() {
        var output = SwayidleOutput()
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: SwayidleOutput.maximumLineBytes + 1)
        #expect(output.lines(from: long) == [])
        #expect(output.lines(from: Array("still the long one\nidle\n".utf8)) == ["idle"])
    }

    @Test(arguments: [
        ("idle", SwayidleOutput.Event.idle), ("active", .active), ("idle\r", .idle), ("  active ", .active),
    ])
    func eventLines(line: String, event: SwayidleOutput.Event) {
        #expect(SwayidleOutput.event(line) == event)
    }

    @Test(arguments: ["", "idle now", "resume", "Active"])
    func otherLinesAreNoEvent(line: String) {
        #expect(SwayidleOutput.event(line) == nil)
    }

    @Test func logLinesLoseTheirPrefix() {
        #expect(
            SwayidleOutput.message("2026-11-30 03:18:37 - [Line 1007] Display doesn't support idle protocol")
                == "Display doesn't support idle protocol")
        #expect(SwayidleOutput.message("plain words ") == "plain words")
        #expect(SwayidleOutput.message("2026-11-30 03:18:37 - [Line 12] ") == nil)
        #expect(SwayidleOutput.message("") == nil)
    }
}
