import SitbreakEngine
import SitbreakTesting
import Testing

@Suite struct TimeZoneTests {
    let berlin = EuropeanSummerTimeZone()

    func utc(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    @Test(arguments: [
        // An ordinary winter and summer day.
        (CivilDate(year: 2026, month: 1, day: 15), 9 * 60, "2026-01-15T08:00:00Z"),
        (CivilDate(year: 2026, month: 7, day: 15), 9 * 60, "2026-07-15T07:00:00Z"),
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist: the moment of the change.
        (CivilDate(year: 2026, month: 3, day: 29), 150, "2026-03-29T01:00:00Z"),
        (CivilDate(year: 2026, month: 3, day: 29), 120, "2026-03-29T01:00:00Z"),
        (CivilDate(year: 2026, month: 3, day: 29), 180, "2026-03-29T01:00:00Z"),
        (CivilDate(year: 2026, month: 3, day: 29), 119, "2026-03-29T00:59:00Z"),
        // 25 October 2026: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice: the first one.
        (CivilDate(year: 2026, month: 10, day: 25), 150, "2026-10-25T00:30:00Z"),
        (CivilDate(year: 2026, month: 10, day: 25), 180, "2026-10-25T02:00:00Z"),
        // 24:00 is the next midnight.
        (CivilDate(year: 2026, month: 11, day: 30), 1440, "2026-11-30T23:00:00Z"),
    ])
    func localTimeResolves(date: CivilDate, minute: Int, expected: String) {
        #expect(berlin.instant(on: date, minuteOfDay: minute) == utc(expected))
    }

    @Test func civilDatesRoundTrip() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let date = CivilDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(date.isValid)
        }
        #expect(CivilDate(year: 2026, month: 11, day: 30).weekday == .monday)
        #expect(CivilDate(year: 2024, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 2026, month: 2, day: 29).isValid)
    }

    @Test(arguments: [
        ("2026-11-30T09:50:00Z", 1_796_032_200 as Int64),
        ("2026-11-30T10:50:00+01:00", 1_796_032_200),
        ("2026-11-30t09:50:00z", 1_796_032_200),
        ("1969-12-31T23:59:59Z", -1),
    ])
    func rfc3339Parses(text: String, seconds: Int64) {
        #expect(Timestamp(rfc3339: text) == Timestamp(secondsSinceEpoch: seconds))
    }

    @Test(arguments: [
        "2026-11-30 09:50:00Z", "2026-11-30T09:50:00", "2026-11-30T09:50:00.5Z", "2026-02-30T09:50:00Z",
        "2026-11-30T24:00:00Z", "2026-11-30T09:50:60Z", "garbage",
    ])
    func rfc3339Rejects(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func rfc3339Formats() {
        #expect(Timestamp(secondsSinceEpoch: 1_796_032_200).rfc3339 == "2026-11-30T09:50:00Z")
        #expect(Timestamp(secondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59Z")
        #expect(Timestamp(secondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00Z")
    }
}
