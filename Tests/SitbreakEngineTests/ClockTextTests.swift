import SitbreakEngine
import Testing

@Suite("Clock text: HH:MM and HH:MM:SS")
struct ClockTextTests {
    @Test(
        "minutes after midnight",
        arguments: [(0, "00:00"), (9, "00:09"), (61, "01:01"), (599, "09:59"), (1439, "23:59"), (1440, "24:00")])
    func hoursMinutes(minute: Int64, text: String) {
        #expect(ClockText.hoursMinutes(minuteOfDay: minute) == text)
    }

    @Test("seconds after midnight", arguments: [(0, "00:00:00"), (3_661, "01:01:01"), (86_399, "23:59:59")])
    func hoursMinutesSeconds(second: Int64, text: String) {
        #expect(ClockText.hoursMinutesSeconds(secondOfDay: second) == text)
    }

    @Test("the local day and second, before 1970 too, in a zone east of UTC")
    func localDayAndSecond() {
        let zone = FixedOffsetTimeZone(offset: 3600)
        let split = ClockText.localDayAndSecond(of: Timestamp(secondsSinceEpoch: -1), in: zone)
        #expect(split.day == 0 && split.secondOfDay == 3599)
        let before = ClockText.localDayAndSecond(of: Timestamp(secondsSinceEpoch: -3601), in: zone)
        #expect(before.day == -1 && before.secondOfDay == 86_399)
    }
}
