import Glibc
import SitbreakEngine

/// The grammar of one trace line, without context (time order, suspend state, `end`).
///
/// Works on the line's bytes in place: a year of minute-level activity is half a million lines, and
/// building strings for each would dominate the simulation.
enum TraceLineSyntax {
    /// What a line holds once its grammar is checked.
    enum Parsed {
        /// Blank or only a comment.
        case empty
        /// A step.
        case step(TraceStep)
    }

    /// Why a line is malformed; the caller adds file and line.
    struct Problem: Error {
        var message: String
    }

    /// Every word, in the order error messages list them.
    static let words = [
        "active", "idle", "lock", "unlock", "suspend", "resume", "inhibit", "uninhibit", "snooze", "skip", "done",
        "pause", "resume-reminders", "end",
    ]

    static let expectedWords = "expected one of " + words.joined(separator: ", ")

    static func parse(_ line: ArraySlice<UInt8>) throws(Problem) -> Parsed {
        let tokens = Tokens(line)
        guard tokens.count > 0 else { return .empty }
        let timeText = line[tokens.ranges.0]
        guard let time = Timestamp(rfc3339Bytes: timeText) else {
            throw Problem(
                message: "\(quoted(timeText)) is not an RFC 3339 time with whole seconds, such as 2026-11-30T09:00:00Z")
        }
        guard tokens.count > 1 else {
            throw Problem(message: "missing word after the time; \(expectedWords)")
        }
        let word = line[tokens.ranges.1]
        let first = tokens.count > 2 ? line[tokens.ranges.2] : nil
        let second = tokens.count > 3 ? line[tokens.ranges.3] : nil
        let third = tokens.count > 4 ? line[tokens.ranges.4] : nil

        func noArguments(_ action: TraceStep.Action) throws(Problem) -> Parsed {
            if let first {
                throw Problem(message: "\(quoted(word)) takes no arguments, but found \(quoted(first))")
            }
            return .step(TraceStep(time: time, action: action))
        }
        func command(_ command: Command) -> Parsed {
            .step(TraceStep(time: time, action: .input(.command(command))))
        }

        if let presence = presence(word) { return try noArguments(.input(.presence(presence))) }
        if equals(word, "end") { return try noArguments(.end) }
        if equals(word, "resume-reminders") { return try noArguments(.input(.command(.resumeReminders))) }

        if equals(word, "snooze") {
            guard let first else {
                throw Problem(message: "\"snooze\" needs a kind or \"all\", e.g. \"snooze walk\" or \"snooze all 10m\"")
            }
            if let third {
                throw Problem(
                    message: "\"snooze\" takes a kind and at most one duration, but found also \(quoted(third))")
            }
            let selector = KindSelector(string(first))
            return command(.snooze(selector, duration: try second.map { (d) throws(Problem) in try duration(d) }))
        }
        if equals(word, "skip") || equals(word, "done") {
            let name = string(word)
            guard let first else { throw Problem(message: "\"\(name)\" needs a kind, e.g. \"\(name) walk\"") }
            if let second {
                throw Problem(message: "\"\(name)\" takes one kind, but found also \(quoted(second))")
            }
            let kind = string(first)
            return command(name == "skip" ? .skip(kind: kind) : .done(kind: kind))
        }
        if equals(word, "pause") {
            if let second {
                throw Problem(
                    message: "\"pause\" takes at most one duration or \"off\", but found also \(quoted(second))")
            }
            guard let first else { return command(.pause(.default)) }
            // `off` is well-formed: the engine refuses it with an event, as the live socket would.
            if equals(first, "off") { return command(.pause(.unbounded)) }
            return command(.pause(.duration(try duration(first))))
        }
        throw Problem(message: "unknown word \(quoted(word)); \(expectedWords)")
    }

    private static func duration(_ text: ArraySlice<UInt8>) throws(Problem) -> Seconds {
        guard let seconds = TraceDuration.parse(text) else {
            throw Problem(message: "bad duration \(quoted(text)); expected e.g. 45s, 20m or 1h30m")
        }
        // A zero-length snooze or pause would do nothing; it is far more likely a typo.
        guard seconds > 0 else { throw Problem(message: "duration \(quoted(text)) must be longer than zero") }
        return seconds
    }

    private static func presence(_ word: ArraySlice<UInt8>) -> Presence? {
        // Dispatch on length first: most lines are `active` or `idle`, and this keeps them to one compare.
        switch word.count {
        case 4:
            if equals(word, "idle") { return .idle }
            if equals(word, "lock") { return .lock }
        case 6:
            if equals(word, "active") { return .active }
            if equals(word, "unlock") { return .unlock }
            if equals(word, "resume") { return .resume }
        case 7:
            if equals(word, "suspend") { return .suspend }
            if equals(word, "inhibit") { return .inhibit }
        case 9:
            if equals(word, "uninhibit") { return .uninhibit }
        default: break
        }
        return nil
    }

    private static func equals(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count == count else { return false }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, literal.utf8Start, count) == 0 }
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func quoted(_ bytes: ArraySlice<UInt8>) -> String {
        "\"" + string(bytes) + "\""
    }
}

/// Where the first five blank-separated tokens of a line lie (indices into the line), comment cut off.
///
/// Found through a raw pointer in one pass and kept as plain integers: slice subscripts check bounds
/// and retain the buffer on every access, which made tokenizing the largest cost of a simulation.
private struct Tokens {
    var count = 0
    var ranges: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0, 0..<0)

    init(_ line: ArraySlice<UInt8>) {
        let base = line.startIndex
        self = line.withUnsafeBufferPointer { bytes in
            var tokens = Tokens()
            var i = 0
            let end = bytes.count
            // Five are enough: a sixth token can only make the line an error, which five detect.
            while tokens.count < 5 {
                while i < end, isBlank(bytes[i]) { i += 1 }
                // A comment runs to the end of the line wherever it starts.
                guard i < end, bytes[i] != 0x23 else { break }
                let start = i
                while i < end, !isBlank(bytes[i]), bytes[i] != 0x23 { i += 1 }
                let range = (base + start)..<(base + i)
                switch tokens.count {
                case 0: tokens.ranges.0 = range
                case 1: tokens.ranges.1 = range
                case 2: tokens.ranges.2 = range
                case 3: tokens.ranges.3 = range
                default: tokens.ranges.4 = range
                }
                tokens.count += 1
            }
            return tokens
        }
    }

    private init() {}
}

/// Space, tab, vertical tab, form feed, and the CR of CRLF files.
@inline(__always)
private func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
}
