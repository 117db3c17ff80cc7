import Glibc
import SitbreakSystem
import Testing

/// Giving back read-only pages: the process holds fewer file pages and keeps running.
@Suite struct ProcessMemoryTests {
    /// `RssFile` from /proc/self/status, in KiB: the file-backed pages this process maps.
    private static func fileResidentKiB() throws -> Int {
        let text = try #require(readWhole("/proc/self/status"))
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    private static func readWhole(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func releasingReadOnlyPagesUnmapsCodeAndTheProcessKeepsWorking() throws {
        let before = try Self.fileResidentKiB()
        let advised = try ProcessMemory.releaseReadOnlyPages()
        let after = try Self.fileResidentKiB()
        // The test binary alone has megabytes of code and constants; most of it was mapped.
        #expect(advised > 1 << 20)
        #expect(after < before)
        // Code, constants and relocated data are all still right: a string from a static,
        // a generic sort and a protocol cast run from pages mapped back on demand.
        let words = ["walk", "stretch", "posture"].sorted()
        #expect(words == ["posture", "stretch", "walk"])
        let value: Any = 42
        #expect((value as? any CustomStringConvertible)?.description == "42")
    }
}
