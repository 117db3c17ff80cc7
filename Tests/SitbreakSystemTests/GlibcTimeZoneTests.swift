import Glibc
import SitbreakEngine
import SitbreakSystem
import Testing

/// Serialized: the zone comes from the process's `TZ`, which these tests set.
@Suite("The glibc time zone", .serialized)
struct GlibcTimeZoneTests {
    private func berlin() -> GlibcTimeZone {
        setenv("TZ", "Europe/Berlin", 1)
        // GlibcTimeZone loads the rules once per process; reload them for the TZ set here.
        tzset()
        return GlibcTimeZone()
    }

    private func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    @Test(
        "offsets around both clock changes of 2026",
        arguments: [
            ("2026-03-29T00:59:59Z", 3600), ("2026-03-29T01:00:00Z", 7200),
            ("2026-10-25T00:59:59Z", 7200), ("2026-10-25T01:00:00Z", 3600),
            ("2026-07-01T12:00:00Z", 7200), ("2026-01-01T12:00:00Z", 3600),
        ] as [(String, Seconds)])
    func offsets(instant: String, offset: Seconds) {
        #expect(berlin().utcOffset(at: at(instant)) == offset)
    }

    @Test("wall-clock times resolve as the design says (skipped: the change; repeated: the first)")
    func wallClock() {
        let zone = berlin()
        #expect(
            zone.instant(on: CivilDate(year: 2026, month: 3, day: 29), minuteOfDay: 150) == at("2026-03-29T01:00:00Z"))
        #expect(
            zone.instant(on: CivilDate(year: 2026, month: 10, day: 25), minuteOfDay: 150) == at("2026-10-25T00:30:00Z"))
        #expect(
            zone.instant(on: CivilDate(year: 2026, month: 3, day: 30), minuteOfDay: 510) == at("2026-03-30T06:30:00Z"))
        #expect(zone.localDate(at: at("2026-03-29T22:30:00Z")) == CivilDate(year: 2026, month: 3, day: 30))
    }
}

@Suite("The process environment")
struct ProcessEnvironmentTests {
    @Test("reads what setenv wrote")
    func reads() {
        setenv("SITBREAK_TEST_VARIABLE", "a=b c", 1)
        #expect(ProcessEnvironment.current()["SITBREAK_TEST_VARIABLE"] == "a=b c")
        #expect(ProcessEnvironment.current()["PATH"] == String(cString: getenv("PATH")))
    }
}

@Suite("File status")
struct FileStatusTests {
    @Test("exists")
    func exists() {
        #expect(FileStatus.exists("/"))
        #expect(FileStatus.exists("/proc/self/exe"))
        #expect(!FileStatus.exists("/nonexistent/sitbreak"))
    }
}
