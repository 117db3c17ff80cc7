import SitbreakEngine
import SitbreakNotify
import SitbreakProtocol
import Testing

/// The stream's lines as the notifier reads them: every engine event line decodes, garbage is a
/// sentence.
@Suite struct DaemonEventTests {
    @Test func aReminderLineDecodesToItsFields() throws {
        let reminder = Event.Reminder(
            kind: "walk", nag: 1, sittingSeconds: 3000, covers: ["posture"], message: "Walk.", suggestion: "Water.")
        let line = Event(time: Timestamp(secondsSinceEpoch: 0), body: .reminder(reminder)).jsonLine
        #expect(try DaemonEvent.decode(Array(line.utf8)) == .reminder(reminder))
    }

    @Test(arguments: [
        (
            Event.Body.breakTaken(kind: "walk", natural: true, manual: false, awaySeconds: 300),
            DaemonEvent.breakTaken(kind: "walk")
        ),
        (.snoozed(kind: "walk", until: Timestamp(secondsSinceEpoch: 600)), .snoozed(kind: "walk")),
        (.skipped(kind: "walk"), .skipped(kind: "walk")),
        (.away(since: Timestamp(secondsSinceEpoch: 0)), .away),
        (.paused(until: Timestamp(secondsSinceEpoch: 60)), .paused),
        (.dailyLimit(sittingSeconds: 100), .dailyLimit(sittingSeconds: 100)),
        (.back(awaySeconds: 5), .other(.back)),
    ])
    func everyEventLineDecodes(body: Event.Body, expected: DaemonEvent) throws {
        let line = Event(time: Timestamp(secondsSinceEpoch: 0), body: body).jsonLine
        #expect(try DaemonEvent.decode(Array(line.utf8)) == expected)
    }

    @Test(arguments: [
        "garbage", "{\"event\":\"nap\"}", "{\"event\":\"snoozed\"}", "[1,2]",
        "{\"event\":\"reminder\",\"kind\":\"walk\"}",
    ])
    func garbageIsASentence(line: String) {
        #expect(throws: ReplyParseError.self) { try DaemonEvent.decode(Array(line.utf8)) }
    }

    @Test(arguments: [
        (Int64(45), "45 seconds", "45 s"), (60, "1 minute", "1 min"), (3120, "52 minutes", "52 min"),
        (3600, "1 hour", "1 h"), (7500, "2 hours 5 minutes", "2 h 5 min"),
    ])
    func durationsReadAsWords(seconds: Int64, spoken: String, short: String) {
        #expect(NotificationText.spoken(seconds) == spoken)
        #expect(NotificationText.short(seconds) == short)
    }
}
