import SitbreakClient
import SitbreakEngine
import SitbreakProtocol
import SitbreakStats

extension DayStatistics {
    /// Reads one day object of the socket's `stats` result (docs/protocol.md), so that the daemon's
    /// answer is printed by the same code as statistics read from the file.
    ///
    /// Each kind's lateness comes back as `[late_median_s, late_max_s]`: the median of two values
    /// is the lower one (docs/statistics.md §4.1), so both derived members read as sent.
    init(reply value: JSONValue, kindNames: [String], days: LocalDays) throws(ClientError) {
        func bad(_ what: String) -> ClientError { .malformedReply("stats: a day's \(what) is missing or malformed") }
        guard let text = value["day"]?.stringValue, let date = CivilDate(isoText: text) else { throw bad("day") }
        let bounds = days.day(startingOn: date)
        self.init(date: date, start: bounds.start, end: bounds.end, kindNames: kindNames)
        guard let sitting = value["sitting_s"]?.integerValue, let longest = value["longest_sitting_s"]?.integerValue,
            let limit = value["daily_limit"]?.boolValue
        else { throw bad("sitting") }
        sittingSeconds = sitting
        longestSittingSeconds = longest
        dailyLimit = limit
        firstActivity = value["first_activity"]?.stringValue.flatMap { Timestamp(rfc3339: $0) }
        lastActivity = value["last_activity"]?.stringValue.flatMap { Timestamp(rfc3339: $0) }
        if let hours = value["sitting_by_hour"]?.arrayValue, hours.count == 24 {
            sittingByHour = hours.map { $0.integerValue ?? 0 }
        }
        for i in kinds.indices {
            guard let kind = value["kinds"]?[kinds[i].kind] else { continue }
            func count(_ key: String) -> Int { Int(kind[key]?.integerValue ?? 0) }
            kinds[i].reminders = count("reminders")
            kinds[i].covered = count("covered")
            kinds[i].breaks = count("breaks")
            kinds[i].natural = count("natural")
            kinds[i].manual = count("manual")
            kinds[i].snoozed = count("snoozed")
            kinds[i].skipped = count("skipped")
            if let median = kind["late_median_s"]?.integerValue, let most = kind["late_max_s"]?.integerValue {
                kinds[i].lateness = median == most ? [median] : [median, most]
            }
        }
    }
}
