import Foundation
import SitbreakSimulator
import SitbreakTesting
import Testing

@Suite("Reading trace files in chunks")
struct LineReaderTests {
    private func lines(of contents: String) throws -> [String] {
        let dir = try TemporaryDirectory(prefix: "sitbreak-simulator-tests")
        defer { dir.remove() }
        let path = try dir.write("t.trace", contents)
        var result: [String] = []
        var numbers: [Int] = []
        try LineReader.forEachLine(path: path, file: "t.trace") { line, number in
            result.append(String(decoding: line, as: UTF8.self))
            numbers.append(number)
        }
        #expect(numbers == Array(1..<(result.count + 1)))
        return result
    }

    @Test(
        "line endings",
        arguments: [
            ("a\nb\n", ["a", "b"]),
            ("a\nb", ["a", "b"]),
            ("a\r\nb\r\n", ["a", "b"]),
            ("\n\n", ["", ""]),
            ("", []),
            ("one", ["one"]),
        ])
    func endings(contents: String, expected: [String]) throws {
        #expect(try lines(of: contents) == expected)
    }

    @Test("lines that span chunk boundaries arrive whole")
    func chunkBoundaries() throws {
        // Line lengths that do not divide the chunk size, so many lines straddle a boundary.
        let expected = (0..<20_000).map { "line \($0) " + String(repeating: "x", count: $0 % 97) }
        let text = expected.joined(separator: "\n") + "\n"
        #expect(text.utf8.count > 3 * LineReader.chunkSize)
        #expect(try lines(of: text) == expected)
    }

    @Test("the longest line allowed is read; a longer one is an error")
    func longLines() throws {
        let longest = String(repeating: "y", count: LineReader.maxLineLength)
        #expect(try lines(of: "a\n\(longest)\nb\n") == ["a", longest, "b"])

        let tooLong = longest + "y"
        let error = #expect(throws: TraceError.self) { _ = try lines(of: "a\n\(tooLong)\nb\n") }
        #expect(error?.description == "t.trace:2: line is longer than \(LineReader.maxLineLength) bytes")
        let unterminated = #expect(throws: TraceError.self) {
            _ = try lines(of: "a\n" + String(repeating: "z", count: LineReader.chunkSize * 2))
        }
        #expect(unterminated?.description == "t.trace:2: line is longer than \(LineReader.maxLineLength) bytes")
    }

    @Test("a missing file")
    func missing() {
        #expect(throws: TraceError(file: "nope.trace", line: nil, message: "cannot open: No such file or directory")) {
            try LineReader.forEachLine(path: "/nonexistent/nope.trace", file: "nope.trace") { _, _ in }
        }
    }

    @Test("a directory")
    func directory() throws {
        let dir = try TemporaryDirectory(prefix: "sitbreak-simulator-tests")
        defer { dir.remove() }
        #expect(throws: TraceError(file: "dir", line: nil, message: "cannot read: Is a directory")) {
            try LineReader.forEachLine(path: dir.path, file: "dir") { _, _ in }
        }
    }
}
