import SitbreakConfig
import SitbreakEngine
import Testing

@Suite struct DurationTextTests {
    @Test(
        arguments: [
            ("0s", Seconds(0)), ("1s", 1), ("45s", 45), ("20m", 1200), ("2h", 7200), ("1h30m", 5400),
            ("1h30m15s", 5415), ("1h15s", 3615), ("90m", 5400), ("0h0m0s", 0), ("05m", 300), ("8784h", 31_622_400),
        ] as [(String, Seconds)])
    func valid(text: String, seconds: Seconds) {
        #expect(DurationText.parse(text) == seconds)
    }

    @Test(arguments: [
        "", "off", "20", "m", "20 m", " 20m", "20m ", "1.5h", "-5m", "+5m", "20M", "1d", "30m1h", "1h1h", "1m1m",
        "1h 30m", "20min", "8785h", "99999999999999999999999h",
    ])
    func invalid(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(
        arguments: [
            (Seconds(0), "0s"), (1, "1s"), (45, "45s"), (60, "1m"), (1200, "20m"), (3600, "1h"), (5400, "1h30m"),
            (3601, "1h1s"), (3661, "1h1m1s"), (7200, "2h"), (90000, "25h"), (-90, "-1m30s"),
        ] as [(Seconds, String)])
    func format(seconds: Seconds, text: String) {
        #expect(DurationText.format(seconds) == text)
    }

    @Test(arguments: [Seconds(0), 1, 59, 60, 61, 3599, 3600, 5400, 86399, 86400, DurationText.maximum])
    func formatRoundTrips(seconds: Seconds) {
        #expect(DurationText.parse(DurationText.format(seconds)) == seconds)
    }
}
