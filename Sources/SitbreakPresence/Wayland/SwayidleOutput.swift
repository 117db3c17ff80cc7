/// What swayidle writes, split into lines and read: its stdout carries the `echo idle` and
/// `echo active` of its command line; its stderr carries its log, whose last line explains an
/// exit.
///
/// Bytes come in whatever pieces a non-blocking read returns; a line is complete at its line
/// feed. A line longer than ``maximumLineBytes`` (not something swayidle writes) is dropped
/// rather than buffered without bound.
struct SwayidleOutput {
    /// What a stdout line says.
    enum Event: Equatable {
        /// The idle timeout passed without input.
        case idle
        /// Input came after an idle timeout.
        case active
    }

    /// The longest line kept.
    static let maximumLineBytes = 4096

    private var pending: [UInt8] = []
    /// Inside a line that grew too long: its bytes are dropped up to the next line feed.
    private var discarding = false

    /// The lines completed by `bytes`, without their line feeds.
    mutating func lines(from bytes: some Sequence<UInt8>) -> [String] {
        var complete: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if !discarding { complete.append(String(decoding: pending, as: UTF8.self)) }
                pending.removeAll(keepingCapacity: true)
                discarding = false
            } else if !discarding {
                pending.append(byte)
                if pending.count > Self.maximumLineBytes {
                    pending.removeAll()
                    discarding = true
                }
            }
        }
        return complete
    }

    /// The event a stdout line reports, nil for anything else.
    static func event(_ line: String) -> Event? {
        switch line.trimmingWhitespace {
        case "idle": .idle
        case "active": .active
        default: nil
        }
    }

    /// A stderr line without swayidle's log prefix: `2026-11-30 09:36:00 - [Line 1007] Display
    /// doesn't support idle protocol` becomes `Display doesn't support idle protocol`; nil for an
    /// empty line.
    static func message(_ line: String) -> String? {
        var text = Substring(line)
        if let marker = text.range(of: "[Line "), let end = text[marker.upperBound...].firstIndex(of: "]") {
            text = text[text.index(after: end)...]
        }
        let trimmed = String(text).trimmingWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and carriage returns (no Foundation here).
    fileprivate var trimmingWhitespace: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

extension Substring {
    /// The first range of `needle` (no Foundation here).
    fileprivate func range(of needle: String) -> Range<Index>? {
        let target = Array(needle.utf8)
        var start = startIndex
        while start < endIndex {
            if self[start...].utf8.starts(with: target) {
                return start..<utf8.index(start, offsetBy: target.count)
            }
            start = index(after: start)
        }
        return nil
    }
}
