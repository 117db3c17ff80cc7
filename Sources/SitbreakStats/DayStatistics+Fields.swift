import SitbreakEngine

extension DayStatistics {
    /// One member of the day statistics: its name (`sitting_s`) and typed value.
    ///
    /// ``DayStatistics/fields`` and ``KindStatistics/fields`` are the one description of the
    /// members; the JSON object, the CSV header and rows and the history store's read-back are
    /// derived from them.
    public struct Field: Hashable, Sendable {
        /// The JSON member name (lower-case snake case); the CSV column (kinds: `KIND.NAME`).
        public var name: String
        /// The value.
        public var value: Value

        /// Creates a field.
        public init(_ name: String, _ value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// The typed value of a ``Field``.
    public enum Value: Hashable, Sendable {
        /// A local date (`YYYY-MM-DD`).
        case date(CivilDate)
        /// A duration in whole seconds.
        case seconds(Seconds)
        /// A duration in whole seconds that may be missing (JSON `null`, empty in CSV).
        case optionalSeconds(Seconds?)
        /// A count.
        case count(Int)
        /// A yes or no.
        case flag(Bool)
        /// An instant that may be missing (RFC 3339 in UTC; JSON `null`, empty in CSV).
        case time(Timestamp?)

        /// The value as JSON text.
        public var jsonText: String {
            switch self {
            case .date(let date): JSON.string(date.isoText)
            case .seconds(let n): String(n)
            case .optionalSeconds(let n): n.map { String($0) } ?? "null"
            case .count(let n): String(n)
            case .flag(let flag): String(flag)
            case .time(let t): t.map { JSON.string($0.rfc3339) } ?? "null"
            }
        }

        /// The value as a CSV cell (never needs quoting: no commas, quotes or line breaks).
        public var csvText: String {
            switch self {
            case .date(let date): date.isoText
            case .seconds(let n): String(n)
            case .optionalSeconds(let n): n.map { String($0) } ?? ""
            case .count(let n): String(n)
            case .flag(let flag): String(flag)
            case .time(let t): t?.rfc3339 ?? ""
            }
        }
    }

    /// The day's own members, in output order (the per-kind ones follow under `kinds`).
    public var fields: [Field] {
        [
            Field("day", .date(date)),
            Field("sitting_s", .seconds(sittingSeconds)),
            Field("longest_sitting_s", .seconds(longestSittingSeconds)),
            Field("daily_limit", .flag(dailyLimit)),
            Field("first_activity", .time(firstActivity)),
            Field("last_activity", .time(lastActivity)),
        ]
    }

    /// The day as one JSON object (no line feed): its ``fields``, then `kinds` with one object
    /// per kind. Deterministic byte for byte.
    public var jsonObject: String {
        Self.jsonObject(fields, kinds: kinds)
    }

    /// One JSON object (no line feed): `fields`, then `kinds` with one object per kind holding
    /// its ``KindStatistics/fields``; the shape of a day and of ``StatisticsTotals``.
    static func jsonObject(_ fields: [Field], kinds: [KindStatistics]) -> String {
        var out = "{"
        for field in fields { out += JSON.string(field.name) + ":" + field.value.jsonText + "," }
        out += "\"kinds\":{"
        out += kinds.map { kind in
            JSON.string(kind.kind) + ":{"
                + kind.fields.map { JSON.string($0.name) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }.joined(separator: ",")
        return out + "}}"
    }

    /// The CSV header for days with these kinds: the day's fields, then `KIND.FIELD` per kind.
    public static func csvHeader(kindNames: [String]) -> String {
        let sample = DayStatistics(
            date: CivilDate(year: 1970, month: 1, day: 1), start: Timestamp(secondsSinceEpoch: 0),
            end: Timestamp(secondsSinceEpoch: 0), kindNames: kindNames)
        let kindColumns = sample.kinds.flatMap { kind in kind.fields.map { "\(kind.kind).\($0.name)" } }
        return (sample.fields.map(\.name) + kindColumns).map(csvQuoted).joined(separator: ",")
    }

    /// The day as one CSV row matching ``csvHeader(kindNames:)``.
    public var csvRow: String {
        (fields.map(\.value.csvText) + kinds.flatMap { $0.fields.map(\.value.csvText) }).joined(separator: ",")
    }

    /// A CSV cell quoted when it must be (kind names are free text).
    static func csvQuoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension KindStatistics {
    /// The kind's members, in output order.
    public var fields: [DayStatistics.Field] {
        [
            .init("reminders", .count(reminders)),
            .init("covered", .count(covered)),
            .init("breaks", .count(breaks)),
            .init("natural", .count(natural)),
            .init("manual", .count(manual)),
            .init("after_reminder", .count(afterReminder)),
            .init("snoozed", .count(snoozed)),
            .init("skipped", .count(skipped)),
            .init("late_median_s", .optionalSeconds(latenessMedian)),
            .init("late_max_s", .optionalSeconds(latenessMax)),
        ]
    }
}

extension String {
    /// Every `target` replaced by `replacement` (no Foundation here).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
