import SitbreakEngine
import SitbreakSystemd
import Testing

/// 2026-11-30T09:50:00Z, a Monday.
let nineFifty = Timestamp(secondsSinceEpoch: 1_796_032_200)
/// Central European Time, for local clock times in sentences.
let cet = FixedOffsetTimeZone(offset: 3600)

/// One event of every type, with the fields each must carry beyond the common ones.
let everyEventType: [(Event, [String: String])] = [
    (
        Event(
            time: nineFifty,
            body: .reminder(
                .init(
                    kind: "walk", nag: 1, sittingSeconds: 3000, covers: ["posture"],
                    message: "Time to stand up and walk for a few minutes.",
                    suggestion: "Fetch a glass of water and take the long way back."))),
        [
            "SITBREAK_KIND": "walk", "SITBREAK_NAG": "1", "SITBREAK_SITTING_S": "3000", "SITBREAK_COVERS": "posture",
            "SITBREAK_SUGGESTION": "Fetch a glass of water and take the long way back.",
        ]
    ),
    (
        Event(time: nineFifty, body: .breakTaken(kind: "walk", natural: true, manual: false, awaySeconds: 390)),
        ["SITBREAK_KIND": "walk", "SITBREAK_NATURAL": "true", "SITBREAK_MANUAL": "false", "SITBREAK_AWAY_S": "390"]
    ),
    (
        Event(time: nineFifty, body: .snoozed(kind: "stretch", until: nineFifty + 600)),
        ["SITBREAK_KIND": "stretch", "SITBREAK_UNTIL": "2026-11-30T10:00:00Z"]
    ),
    (Event(time: nineFifty, body: .skipped(kind: "posture")), ["SITBREAK_KIND": "posture"]),
    (
        Event(
            time: nineFifty,
            body: .refused(command: .snooze(.kind("walk"), duration: nil), reason: .maxSnoozes(kind: "walk", limit: 2))),
        [
            "SITBREAK_COMMAND": "snooze", "SITBREAK_KIND": "walk",
            "SITBREAK_REASON": "walk was already snoozed 2 times since its last break (max_snoozes = 2)",
        ]
    ),
    (Event(time: nineFifty, body: .paused(until: nineFifty + 3600)), ["SITBREAK_UNTIL": "2026-11-30T10:50:00Z"]),
    (Event(time: nineFifty, body: .resumed), [:]),
    (Event(time: nineFifty, body: .dailyLimit(sittingSeconds: 21600)), ["SITBREAK_SITTING_S": "21600"]),
    (Event(time: nineFifty, body: .away(since: nineFifty - 120)), ["SITBREAK_SINCE": "2026-11-30T09:48:00Z"]),
    (Event(time: nineFifty, body: .back(awaySeconds: 75)), ["SITBREAK_AWAY_S": "75"]),
]

/// The fields as a dictionary, after checking no name occurs twice.
func dictionary(_ fields: [JournalField]) -> [String: String] {
    #expect(Set(fields.map(\.name)).count == fields.count, "a field repeats: \(fields)")
    return Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
}

@Suite("Event → journal fields")
struct JournalFieldsTests {
    @Test("every event type: the common fields, exactly its own SITBREAK_* fields, valid names")
    func everyType() {
        #expect(Set(everyEventType.map(\.0.name)).count == JournalMessageID.all.count, "one sample per event type")
        for (event, own) in everyEventType {
            let fields = dictionary(event.journalFields(in: cet))
            #expect(fields["SYSLOG_IDENTIFIER"] == "sitbreakd")
            #expect(fields["SITBREAK_EVENT"] == event.name)
            #expect(fields["SITBREAK_TIME"] == "2026-11-30T09:50:00Z")
            #expect(fields["MESSAGE_ID"] == JournalMessageID.all.first { $0.event == event.name }?.id)
            #expect(fields["PRIORITY"] == (event.name == "reminder" ? "5" : "6"), "\(event.name)")
            #expect(fields["MESSAGE"] == event.sentence(in: cet))
            let common: Set = [
                "MESSAGE", "PRIORITY", "MESSAGE_ID", "SYSLOG_IDENTIFIER", "SITBREAK_EVENT", "SITBREAK_TIME",
            ]
            let rest = fields.filter { !common.contains($0.key) }
            #expect(rest == own, "\(event.name)")
            for name in fields.keys { #expect(JournalField.isValidName(name), "\(name) would be dropped by journald") }
        }
    }

    @Test("MESSAGE_IDs: 128-bit lower-case hex, one per event type, all different")
    func messageIDs() {
        let ids = JournalMessageID.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(Set(JournalMessageID.all.map(\.event)).count == ids.count)
        for id in ids {
            #expect(id.count == 32 && id.allSatisfy { "0123456789abcdef".contains($0) }, "\(id)")
        }
        for (event, _) in everyEventType {
            #expect(event.body.journalMessageID == JournalMessageID.all.first { $0.event == event.name }?.id)
        }
    }

    @Test("a reminder covering nothing still carries an empty SITBREAK_COVERS; refused without kind has no KIND")
    func optionalFields() {
        let plain = Event(
            time: nineFifty,
            body: .reminder(
                .init(kind: "posture", nag: 0, sittingSeconds: 1200, covers: [], message: "Sit back", suggestion: "")))
        let fields = dictionary(plain.journalFields(in: cet))
        #expect(fields["SITBREAK_COVERS"] == "")
        #expect(fields["SITBREAK_SUGGESTION"] == "")
        let refused = Event(
            time: nineFifty, body: .refused(command: .resumeReminders, reason: .notPaused))
        #expect(dictionary(refused.journalFields(in: cet))["SITBREAK_KIND"] == nil)
    }

    @Test(
        "sentences a person reads",
        arguments: [
            (
                everyEventType[0].0,
                "Time to stand up and walk for a few minutes. You have sat 50 minutes. (Reminder 2 of this series.) "
                    + "Fetch a glass of water and take the long way back. This also counts as the posture break."
            ),
            (everyEventType[1].0, "Walk break taken (away 6 minutes 30 seconds, before any reminder)."),
            (
                Event(
                    time: nineFifty, body: .breakTaken(kind: "walk", natural: false, manual: false, awaySeconds: 300)),
                "Walk break taken (away 5 minutes, after a reminder)."
            ),
            (
                Event(
                    time: nineFifty, body: .breakTaken(kind: "stretch", natural: false, manual: true, awaySeconds: 0)),
                "Stretch break marked done."
            ),
            (everyEventType[2].0, "Stretch reminders snoozed until 11:00."),
            (everyEventType[3].0, "Posture break skipped; its sitting time starts again from zero."),
            (
                everyEventType[4].0,
                "Refused \"snooze walk\": walk was already snoozed 2 times since its last break (max_snoozes = 2)."
            ),
            (everyEventType[5].0, "Reminders paused until 11:50; sitting is still counted."),
            (everyEventType[6].0, "Reminders resumed."),
            (everyEventType[7].0, "You have sat 6 hours today, your daily limit. Time to plan a longer break."),
            (everyEventType[8].0, "Away since 10:48."),
            (everyEventType[9].0, "Back after 1 minute 15 seconds."),
            (
                Event(time: nineFifty, body: .paused(until: nineFifty + 14 * 3600 + 7)),
                "Reminders paused until 2026-12-01 00:50:07; sitting is still counted."
            ),
            (
                Event(
                    time: nineFifty,
                    body: .reminder(
                        .init(
                            kind: "eyes", nag: 0, sittingSeconds: 45, covers: ["posture", "walk"], message: "Look away",
                            suggestion: "Far away"))),
                "Look away. You have sat 45 seconds. Far away. This also counts as the posture and walk breaks."
            ),
        ])
    func sentences(event: Event, expected: String) {
        #expect(event.sentence(in: cet) == expected)
    }

    @Test(
        "durations as people say them",
        arguments: [
            (0, "0 seconds"), (1, "1 second"), (59, "59 seconds"), (60, "1 minute"), (61, "1 minute 1 second"),
            (3000, "50 minutes"), (3600, "1 hour"), (3661, "1 hour 1 minute"), (7322, "2 hours 2 minutes"),
            (-5, "0 seconds"),
        ] as [(Int64, String)])
    func spoken(seconds: Int64, expected: String) {
        #expect(Event.spoken(seconds) == expected)
    }

    @Test("daemon log lines: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER")
    func logFields() {
        #expect(
            JournalEventLog.logFields(.warning, "reload failed")
                == [
                    JournalField("MESSAGE", "reload failed"), JournalField("PRIORITY", "4"),
                    JournalField("SYSLOG_IDENTIFIER", "sitbreakd"),
                ])
    }

    @Test("journald field-name rules")
    func fieldNames() {
        #expect(JournalField.isValidName("SITBREAK_SITTING_S"))
        #expect(JournalField("A", "b=c").description == "A=b=c")
        for bad in ["", "_PID", "1A", "lower", "A-B", "A B", String(repeating: "A", count: 65)] {
            #expect(!JournalField.isValidName(bad), "\(bad)")
        }
    }
}

@Suite("stderr lines and the choice of log")
struct StderrEventLogTests {
    @Test("events: local HH:MM:SS, event, kind, nag, sentence")
    func eventLines() {
        #expect(
            StderrEventLog.line(for: everyEventType[0].0, in: cet)
                == "10:50:00 reminder walk (nag 1): " + everyEventType[0].0.sentence(in: cet))
        #expect(
            StderrEventLog.line(for: everyEventType[1].0, in: FixedOffsetTimeZone.utc)
                == "09:50:00 break_taken walk: Walk break taken (away 6 minutes 30 seconds, before any reminder).")
        #expect(StderrEventLog.line(for: everyEventType[6].0, in: cet) == "10:50:00 resumed: Reminders resumed.")
    }

    @Test("daemon lines and clocks across midnight and before 1970")
    func logLines() {
        #expect(
            StderrEventLog.line(.error, "cannot bind", at: nineFifty + 50_000, in: cet)
                == "00:43:20 error: cannot bind")
        #expect(StderrEventLog.clock(Timestamp(secondsSinceEpoch: -1), in: FixedOffsetTimeZone.utc) == "23:59:59")
        #expect(
            StderrEventLog.clock(Timestamp(secondsSinceEpoch: 0), in: FixedOffsetTimeZone(offset: -3600)) == "23:00:00")
    }

    @Test("journald only when stderr is not a terminal and the journal socket exists")
    func choice() {
        #expect(EventLogs.choose(standardErrorIsTerminal: false, journalSocketExists: true) == .journal)
        #expect(EventLogs.choose(standardErrorIsTerminal: true, journalSocketExists: true) == .standardError)
        #expect(EventLogs.choose(standardErrorIsTerminal: false, journalSocketExists: false) == .standardError)
        #expect(EventLogs.choose(standardErrorIsTerminal: true, journalSocketExists: false) == .standardError)
        #expect(EventLogs.journalSocketPath == "/run/systemd/journal/socket")
    }
}
