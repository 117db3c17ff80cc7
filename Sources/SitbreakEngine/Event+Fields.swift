extension Event {
    /// One of an event's own fields: its name in the JSON line (`sitting_s`) and its typed value.
    ///
    /// The fields of ``Event/fields`` are the one description of what an event carries; the JSON
    /// line, the protocol's JSON value, the journal's `SITBREAK_*` fields and the tests' summary
    /// are all derived from them, so a new field is a change in one place.
    public struct Field: Hashable, Sendable {
        /// The JSON member name: lower-case snake case; the journal field is `SITBREAK_` + it in upper case.
        public var name: String
        /// The value.
        public var value: Value
        /// Whether the journal entry carries it as a `SITBREAK_*` field.
        public var inJournal: Bool
        /// Whether the tests' short summary shows it.
        public var inSummary: Bool

        /// Creates a field, carried everywhere unless told otherwise.
        public init(_ name: String, _ value: Value, inJournal: Bool = true, inSummary: Bool = true) {
            self.name = name
            self.value = value
            self.inJournal = inJournal
            self.inSummary = inSummary
        }
    }

    /// The typed value of a ``Field``; the type decides how each output writes it.
    public enum Value: Hashable, Sendable {
        /// A name such as a kind or a command word (a JSON string; bare in the summary).
        case name(String)
        /// Prose for a person (a JSON string; left out of the summary).
        case text(String)
        /// A count (a JSON number).
        case integer(Int64)
        /// A duration in whole seconds (a JSON number; a field named `…_s`).
        case seconds(Seconds)
        /// A yes or no (JSON `true`/`false`; in the summary the field's name when true).
        case flag(Bool)
        /// An instant (an RFC 3339 string in UTC).
        case time(Timestamp)
        /// A list of names (a JSON array of strings; comma-separated in the journal).
        case names([String])

        /// The value as the journal and plain text write it: `true`, `600`, `a,b`, RFC 3339.
        public var plainText: String {
            switch self {
            case .name(let text), .text(let text): text
            case .integer(let n), .seconds(let n): String(n)
            case .flag(let flag): String(flag)
            case .time(let instant): instant.rfc3339
            case .names(let names): names.joined(separator: ",")
            }
        }
    }

    /// The event's own fields, in the order of the JSON line (after `time` and `event`). Every
    /// event of one type has the same fields, except `kind` of a `refused` command that named no kind.
    public var fields: [Field] {
        switch body {
        case .reminder(let r):
            [
                Field("kind", .name(r.kind)), Field("nag", .integer(Int64(r.nag))),
                // The summary shows when and how often a kind reminds, not for how long one sat.
                Field("sitting_s", .seconds(r.sittingSeconds), inSummary: false),
                Field("covers", .names(r.covers)),
                // The journal's MESSAGE already opens with the message.
                Field("message", .text(r.message), inJournal: false),
                Field("suggestion", .text(r.suggestion)),
            ]
        case .breakTaken(let kind, let natural, let manual, let away):
            [
                Field("kind", .name(kind)), Field("natural", .flag(natural)), Field("manual", .flag(manual)),
                Field("away_s", .seconds(away)),
            ]
        case .snoozed(let kind, let until):
            [Field("kind", .name(kind)), Field("until", .time(until))]
        case .skipped(let kind):
            [Field("kind", .name(kind))]
        case .refused(let command, let refusal):
            [Field("command", .name(command.word))] + (command.kind.map { [Field("kind", .name($0))] } ?? [])
                + [Field("reason", .text(refusal.reason))]
        case .paused(let until):
            [Field("until", .time(until))]
        case .resumed:
            []
        case .dailyLimit(let sitting):
            [Field("sitting_s", .seconds(sitting))]
        case .away(let since):
            [Field("since", .time(since))]
        case .back(let away):
            [Field("away_s", .seconds(away))]
        }
    }
}
