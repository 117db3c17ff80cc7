import SitbreakConfig
import SitbreakEngine
import Testing

@Suite struct ActiveHoursTextTests {
    private static let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

    @Test(arguments: [
        ("Mon 09:00-17:00", ActiveHoursEntry(days: [.monday], startMinute: 540, endMinute: 1020)),
        ("Mon-Fri 08:30-18:00", ActiveHoursEntry(days: weekdays, startMinute: 510, endMinute: 1080)),
        (
            "Fri-Mon 10:00-12:00",
            ActiveHoursEntry(days: [.friday, .saturday, .sunday, .monday], startMinute: 600, endMinute: 720)
        ),
        ("Sun-Sat 00:00-24:00", ActiveHoursEntry(days: Set(Weekday.allCases), startMinute: 0, endMinute: 1440)),
        ("Sat-Sat 10:00-11:00", ActiveHoursEntry(days: [.saturday], startMinute: 600, endMinute: 660)),
        (
            "Mon,Wed,Fri 07:00-09:00",
            ActiveHoursEntry(days: [.monday, .wednesday, .friday], startMinute: 420, endMinute: 540)
        ),
        (
            "Mon-Wed,Sat 07:00-09:00",
            ActiveHoursEntry(days: [.monday, .tuesday, .wednesday, .saturday], startMinute: 420, endMinute: 540)
        ),
        ("mon-FRI 08:30-18:00", ActiveHoursEntry(days: weekdays, startMinute: 510, endMinute: 1080)),
        ("Fri 22:00-02:00", ActiveHoursEntry(days: [.friday], startMinute: 1320, endMinute: 120)),
        ("Tue 09:00-09:00", ActiveHoursEntry(days: [.tuesday], startMinute: 540, endMinute: 540)),
        ("  Thu\t12:00-24:00 ", ActiveHoursEntry(days: [.thursday], startMinute: 720, endMinute: 1440)),
    ])
    func valid(text: String, entry: ActiveHoursEntry) throws {
        #expect(try ActiveHoursText.parse(text) == entry)
    }

    @Test func overnightBelongsToItsStartDay() throws {
        let entry = try ActiveHoursText.parse("Fri 22:00-02:00")
        #expect(entry.isOvernight)
        #expect(entry.days == [.friday])
        #expect(try !ActiveHoursText.parse("Fri 00:00-24:00").isOvernight)
    }

    @Test(arguments: [
        (
            "Mon-Fry 08:30-18:00",
            #""Mon-Fry" is not a day range; use a day (Mon), a range (Mon-Fri) or a list (Mon,Wed,Fri)"#
        ),
        (
            "Monday 08:30-18:00",
            #""Monday" is not a day range; use a day (Mon), a range (Mon-Fri) or a list (Mon,Wed,Fri)"#
        ),
        (
            "Mon,,Fri 08:30-18:00",
            #""Mon,,Fri" is not a day range; use a day (Mon), a range (Mon-Fri) or a list (Mon,Wed,Fri)"#
        ),
        (
            "Mon-Wed-Fri 08:30-18:00",
            #""Mon-Wed-Fri" is not a day range; use a day (Mon), a range (Mon-Fri) or a list (Mon,Wed,Fri)"#
        ),
        ("Mon", #""Mon" is not an active-hours entry; use DAYS HH:MM-HH:MM, e.g. "Mon-Fri 08:30-18:00""#),
        (
            "Mon 08:30 - 18:00",
            #""Mon 08:30 - 18:00" is not an active-hours entry; use DAYS HH:MM-HH:MM, e.g. "Mon-Fri 08:30-18:00""#
        ),
        ("", #""" is not an active-hours entry; use DAYS HH:MM-HH:MM, e.g. "Mon-Fri 08:30-18:00""#),
        ("Mon 08:30", #""08:30" is not a time range; use HH:MM-HH:MM, e.g. "08:30-18:00""#),
        ("Mon 8:30-18:00", #""8:30" is not a start time; use HH:MM from 00:00 to 23:59"#),
        ("Mon 24:00-02:00", #""24:00" is not a start time; use HH:MM from 00:00 to 23:59"#),
        ("Mon 08:60-09:00", #""08:60" is not a start time; use HH:MM from 00:00 to 23:59"#),
        ("Mon 08:00-24:01", #""24:01" is not an end time; use HH:MM from 00:00 to 24:00"#),
        ("Mon 08:00-", #""" is not an end time; use HH:MM from 00:00 to 24:00"#),
    ])
    func invalid(text: String, message: String) {
        #expect(throws: ActiveHoursText.ParseError(message)) { try ActiveHoursText.parse(text) }
    }

    @Test(arguments: [
        ("Mon-Fri 08:30-18:00", "Mon-Fri 08:30-18:00", "Mon–Fri 08:30–18:00"),
        ("Fri-Mon 10:00-12:00", "Fri-Mon 10:00-12:00", "Fri–Mon 10:00–12:00"),
        ("Sat,Sun 10:00-13:00", "Sat,Sun 10:00-13:00", "Sat, Sun 10:00–13:00"),
        ("Mon,Wed,Fri 07:00-09:00", "Mon,Wed,Fri 07:00-09:00", "Mon, Wed, Fri 07:00–09:00"),
        ("Mon-Wed,Sat 07:00-09:00", "Mon-Wed,Sat 07:00-09:00", "Mon–Wed, Sat 07:00–09:00"),
        ("Mon-Sun 00:00-24:00", "Mon-Sun 00:00-24:00", "every day 00:00–24:00"),
        ("Fri 22:00-02:00", "Fri 22:00-02:00", "Fri 22:00–02:00 (next day)"),
    ])
    func formatAndDescribe(text: String, formatted: String, described: String) throws {
        let entry = try ActiveHoursText.parse(text)
        #expect(ActiveHoursText.format(entry) == formatted)
        #expect(ActiveHoursText.describe(entry) == described)
        #expect(try ActiveHoursText.parse(ActiveHoursText.format(entry)) == entry)
    }
}
