import Foundation
import SitbreakEngine
import SitbreakProtocol
import SitbreakSystemd
import SitbreakTesting
import Testing

/// One event of `type` with every field it can carry. The switch is exhaustive: a new event type
/// does not build until it has a sample, and then every check below runs on it.
private func sample(_ type: EventType) -> Event {
    let t = Timestamp(rfc3339: "2026-11-30T09:50:00Z")!
    let body: Event.Body =
        switch type {
        case .reminder:
            .reminder(
                .init(
                    kind: "walk", nag: 1, sittingSeconds: 3000, covers: ["posture", "eyes"], message: "Stand \"up\"",
                    suggestion: "Fetch water\n"))
        case .breakTaken: .breakTaken(kind: "walk", natural: true, manual: false, awaySeconds: 390)
        case .snoozed: .snoozed(kind: "stretch", until: t + 600)
        case .skipped: .skipped(kind: "posture")
        case .refused:
            .refused(command: .snooze(.kind("walk"), duration: 600), reason: .maxSnoozes(kind: "walk", limit: 1))
        case .paused: .paused(until: t + 3600)
        case .resumed: .resumed
        case .dailyLimit: .dailyLimit(sittingSeconds: 21600)
        case .away: .away(since: t - 120)
        case .back: .back(awaySeconds: 75)
        }
    return Event(time: t, body: body)
}

/// The names of the values a body carries, as field names (`awaySeconds` → `away_s`); an
/// unlabelled single value has no name, only a count.
private func carriedValues(_ body: Event.Body) -> (count: Int, names: [String]) {
    guard let payload = Mirror(reflecting: body).children.first?.value else { return (0, []) }
    let mirror = Mirror(reflecting: payload)
    guard payload is Event.Reminder || mirror.displayStyle == .tuple else { return (1, []) }
    let names = mirror.children.compactMap(\.label).map { label in
        var name = label.hasSuffix("Seconds") ? String(label.dropLast("Seconds".count)) + "_s" : label
        name = name.unicodeScalars.map { CharacterSet.uppercaseLetters.contains($0) ? "_\($0)".lowercased() : "\($0)" }
            .joined()
        return name
    }
    return (mirror.children.count, names)
}

/// The `-- ID` lines of the journal catalog.
private func catalogIDs() throws -> Set<String> {
    let text = try String(
        contentsOfFile: BuiltProducts.repositoryRoot + "/systemd/sitbreak.catalog", encoding: .utf8)
    return Set(text.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) })
}

@Suite("Every event type is described once and completely")
struct EventDescriptionTests {
    @Test(
        "its fields name every value it carries, once each, in names the journal keeps", arguments: EventType.allCases)
    func fields(type: EventType) {
        let event = sample(type)
        #expect(event.body.type == type)
        #expect(event.name == type.name && EventType(name: type.name) == type)
        let names = event.fields.map(\.name)
        #expect(Set(names).count == names.count, "a field repeats: \(names)")
        let carried = carriedValues(event.body)
        #expect(names.count >= carried.count, "\(type.name) carries \(carried.count) values but describes \(names)")
        for name in carried.names { #expect(names.contains(name), "\(type.name): \(name) is not a field") }
        for name in names {
            #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(name)")
            #expect(JournalField.isValidName("SITBREAK_" + name.uppercased()), "\(name)")
        }
    }

    @Test("the JSON line, the protocol value and the journal carry exactly those fields", arguments: EventType.allCases)
    func outputs(type: EventType) throws {
        let event = sample(type)
        let parsed = try JSONParser.parse(event.jsonLine)
        guard case .object(let members) = parsed else {
            Issue.record("not an object: \(event.jsonLine)")
            return
        }
        #expect(members.map(\.0) == ["time", "event"] + event.fields.map(\.name))
        #expect(parsed["event"] == .string(type.name))
        #expect(event.json == parsed)
        #expect(event.json.serialized == event.jsonLine)

        let journal = event.journalFields(in: FixedOffsetTimeZone.utc)
        let own = journal.filter {
            $0.name.hasPrefix("SITBREAK_") && $0.name != "SITBREAK_EVENT" && $0.name != "SITBREAK_TIME"
        }
        let journaled = event.fields.filter(\.inJournal)
        #expect(own.map(\.name) == journaled.map { "SITBREAK_" + $0.name.uppercased() })
        for (field, entry) in zip(journaled, own) {
            // The journal's text is the JSON value's: strings as they are, lists comma-separated.
            switch parsed[field.name] {
            case .string(let text)?: #expect(entry.value == text)
            case .array(let elements)?:
                #expect(entry.value == elements.compactMap(\.stringValue).joined(separator: ","))
            case let value?: #expect(entry.value == value.serialized)
            case nil: Issue.record("\(field.name) is not in the JSON line")
            }
        }
    }

    @Test("its sentence, MESSAGE_ID (in the catalog), priority and test summary", arguments: EventType.allCases)
    func personFacing(type: EventType) throws {
        let event = sample(type)
        let sentence = event.sentence(in: FixedOffsetTimeZone.utc)
        #expect(sentence.first?.isUppercase == true && sentence.last.map { ".!?".contains($0) } == true, "\(sentence)")
        let fields = Dictionary(
            uniqueKeysWithValues: event.journalFields(in: FixedOffsetTimeZone.utc).map { ($0.name, $0.value) })
        #expect(fields["MESSAGE"] == sentence)
        #expect(fields["MESSAGE_ID"] == type.journalMessageID)
        #expect(
            try catalogIDs().contains(type.journalMessageID), "\(type.name) has no entry in systemd/sitbreak.catalog")
        #expect(fields["PRIORITY"] == String(type.journalPriority.rawValue))
        let scenario = Scenario(Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300)]))
        #expect(scenario.describe(event).hasPrefix("09:50 \(type.name)"))
    }

    @Test("MESSAGE_IDs differ between types")
    func distinctIDs() {
        #expect(Set(EventType.allCases.map(\.journalMessageID)).count == EventType.allCases.count)
    }

    @Test("the description's test summary matches what the tests expect")
    func summaries() {
        let scenario = Scenario(Schedule(kinds: [BreakKind(name: "walk", every: 3000, duration: 300)]))
        #expect(
            EventType.allCases.map { scenario.describe(sample($0)) } == [
                "09:50 reminder walk nag=1 covers=posture,eyes", "09:50 break_taken walk natural away=390",
                "09:50 snoozed stretch until=10:00", "09:50 skipped posture", "09:50 refused snooze walk",
                "09:50 paused until=10:50", "09:50 resumed", "09:50 daily_limit sitting=21600",
                "09:50 away since=09:48", "09:50 back away=75",
            ])
    }
}

@Suite("Commands through the protocol")
struct CommandThroughProtocolTests {
    @Test(
        "\"all\", none and a kind: one selector",
        arguments: [(nil, KindSelector.all), ("all", .all), ("walk", .kind("walk"))])
    func selector(name: String?, selector: KindSelector) {
        #expect(KindSelector(name) == selector)
    }

    @Test("a pause that never ends is sent as written and refused by the daemon's decoder")
    func unboundedPause() {
        let request = Request(id: .integer(1), command: .command(.pause(.unbounded)))
        #expect(request.line == #"{"id":1,"cmd":"pause","duration":"off"}"#)
        guard case .failure(let failure) = Request.decode(Array(request.line.utf8)) else {
            Issue.record("decoded")
            return
        }
        #expect(failure.error.code == .badArgument)
    }

    @Test("every refusal has its own reason")
    func refusals() {
        let refusals: [Refusal] = [
            .unknownKind("sit", known: ["walk", "posture"]), .snoozeTooShort, .maxSnoozes(kind: "walk", limit: 1),
            .maxSnoozes(kind: "walk", limit: 3), .unboundedPause, .pauseTooShort, .notPaused,
        ]
        #expect(Set(refusals.map(\.reason)).count == refusals.count)
        #expect(refusals[0].reason == #"unknown kind "sit"; the kinds are walk, posture"#)
        #expect(refusals[2].reason == "walk was already snoozed once since its last break (max_snoozes = 1)")
    }
}
