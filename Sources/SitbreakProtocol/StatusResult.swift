import SitbreakEngine

/// The result of `status`, and the body of a subscription's `state` snapshots (docs/protocol.md).
///
/// One type for both ends, so the daemon writes and `sitbreakctl` reads the same shape:
/// ``json`` encodes it member for member as documented, ``init(json:)`` reads it back.
public struct StatusResult: Hashable, Sendable {
    /// The protocol version the daemon speaks.
    public var protocolVersion: Int
    /// The daemon's version.
    public var version: String
    /// Whether the person counts as present now (not away, locked or suspended).
    public var present: Bool
    /// Start of the current stretch of sitting, while present.
    public var sittingSince: Timestamp?
    /// Start of the current absence, while away (nil before the first input).
    public var awaySince: Timestamp?
    /// The screen is locked.
    public var locked: Bool
    /// When the current pause ends, or nil when not paused.
    public var pausedUntil: Timestamp?
    /// Whether the machine is known to be suspended (only seen by a status taken at resume).
    public var suspended: Bool
    /// The engine's next deadline (its next timed decision), or nil when it has none.
    public var nextDeadline: Timestamp?
    /// Sitting so far in the current local day, as `stats` counts it (`today_sitting_s`); nil
    /// when the daemon keeps no history.
    public var todaySittingSeconds: Seconds?
    /// The presence sources in use, e.g. `["idle: x11 (X11 MIT-SCREEN-SAVER on :5)", "socket presence feed"]`.
    public var sources: [String]
    /// Every presence question's chain: which source answers it and why the others do not.
    public var presence: [PresenceChainStatus]
    /// The configuration file in use, or `built-in default`.
    public var config: String
    /// Every break kind, in the configuration's order.
    public var kinds: [Kind]
    /// The one-line summary also sent as sd_notify `STATUS=`, e.g. `sitting since 09:36 · walk at 10:26`.
    public var statusLine: String

    /// One break kind's state.
    public struct Kind: Hashable, Sendable {
        /// The kind's name (`walk`).
        public var name: String
        /// Its `every`, in seconds.
        public var everySeconds: Seconds
        /// Its `duration`, in seconds (0 for a nudge).
        public var durationSeconds: Seconds
        /// Sitting time since its last reset.
        public var sittingSeconds: Seconds
        /// Whether it is due (sitting time reached `every`, or it reminded and was not reset since).
        public var due: Bool
        /// When it will next remind if the person stays, or nil when nothing is planned.
        public var nextReminder: Timestamp?
        /// When its snooze ends, or nil when not snoozed.
        public var snoozedUntil: Timestamp?
        /// Snoozes used since its last reset.
        public var snoozes: Int
        /// The nag number of its last reminder in the current series, or nil when no series runs.
        public var nag: Int?
        /// Its `snooze` setting, in seconds: how long a snooze without a duration lasts (nil when
        /// an older daemon did not say).
        public var snoozeSeconds: Seconds?

        /// Creates a kind's state.
        public init(
            name: String, everySeconds: Seconds, durationSeconds: Seconds, sittingSeconds: Seconds, due: Bool,
            nextReminder: Timestamp?, snoozedUntil: Timestamp?, snoozes: Int, nag: Int?, snoozeSeconds: Seconds? = nil
        ) {
            self.snoozeSeconds = snoozeSeconds
            self.name = name
            self.everySeconds = everySeconds
            self.durationSeconds = durationSeconds
            self.sittingSeconds = sittingSeconds
            self.due = due
            self.nextReminder = nextReminder
            self.snoozedUntil = snoozedUntil
            self.snoozes = snoozes
            self.nag = nag
        }
    }

    /// Creates a status; the versions default to this build's.
    public init(
        protocolVersion: Int = ControlProtocol.version, version: String = ControlProtocol.softwareVersion,
        present: Bool, sittingSince: Timestamp? = nil, awaySince: Timestamp? = nil, locked: Bool = false,
        pausedUntil: Timestamp?, suspended: Bool, nextDeadline: Timestamp?, sources: [String],
        presence: [PresenceChainStatus] = [], config: String, kinds: [Kind], statusLine: String,
        todaySittingSeconds: Seconds? = nil
    ) {
        self.todaySittingSeconds = todaySittingSeconds
        self.presence = presence
        self.protocolVersion = protocolVersion
        self.version = version
        self.present = present
        self.sittingSince = sittingSince
        self.awaySince = awaySince
        self.locked = locked
        self.pausedUntil = pausedUntil
        self.suspended = suspended
        self.nextDeadline = nextDeadline
        self.sources = sources
        self.config = config
        self.kinds = kinds
        self.statusLine = statusLine
    }

    /// The members of the result, in the documented order.
    var members: [(String, JSONValue)] {
        [
            ("protocol", .integer(Int64(protocolVersion))), ("version", .string(version)), ("present", .bool(present)),
            ("sitting_since", Self.time(sittingSince)), ("away_since", Self.time(awaySince)), ("locked", .bool(locked)),
            ("paused_until", Self.time(pausedUntil)), ("suspended", .bool(suspended)),
            ("today_sitting_s", todaySittingSeconds.map { .integer($0) } ?? .null),
            ("next_deadline", Self.time(nextDeadline)), ("sources", .array(sources.map { .string($0) })),
            ("presence", .array(presence.map(\.json))),
            ("config", .string(config)), ("kinds", .array(kinds.map(\.json))), ("status_line", .string(statusLine)),
        ]
    }

    /// The `status` result object.
    public var json: JSONValue { .object(members) }

    /// A subscription's snapshot: `{"time":…,"event":"state",…}` followed by every member of the
    /// `status` result.
    public func stateEvent(at time: Timestamp) -> JSONValue {
        .object([("time", .string(time.rfc3339)), ("event", .string("state"))] + members)
    }

    private static func time(_ instant: Timestamp?) -> JSONValue {
        instant.map { .string($0.rfc3339) } ?? .null
    }

    /// Reads a `status` result (or a `state` event: its `time` and `event` are ignored). Members
    /// not listed here are ignored, so a later daemon may add some.
    public init(json: JSONValue) throws(ReplyParseError) {
        let reader = Reader(value: json, context: "status")
        protocolVersion = Int(try reader.integer("protocol"))
        version = try reader.string("version")
        present = try reader.bool("present")
        sittingSince = json["sitting_since"] == nil ? nil : try reader.optionalTime("sitting_since")
        awaySince = json["away_since"] == nil ? nil : try reader.optionalTime("away_since")
        locked = json["locked"]?.boolValue ?? false
        pausedUntil = try reader.optionalTime("paused_until")
        suspended = try reader.bool("suspended")
        nextDeadline = try reader.optionalTime("next_deadline")
        todaySittingSeconds = json["today_sitting_s"]?.integerValue
        sources = try reader.strings("sources")
        var chains: [PresenceChainStatus] = []
        for (i, element) in (json["presence"]?.arrayValue ?? []).enumerated() {
            chains.append(try PresenceChainStatus(json: element, context: "status: presence[\(i)]"))
        }
        presence = chains
        config = try reader.string("config")
        guard let list = json["kinds"]?.arrayValue else { throw reader.failure("kinds", "a list") }
        var kinds: [Kind] = []
        for (i, element) in list.enumerated() {
            kinds.append(try Kind(json: element, context: "status: kinds[\(i)]"))
        }
        self.kinds = kinds
        statusLine = try reader.string("status_line")
    }
}

extension StatusResult.Kind {
    /// The kind's object in `kinds`.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(name)), ("every_s", .integer(everySeconds)), ("duration_s", .integer(durationSeconds)),
            ("sitting_s", .integer(sittingSeconds)), ("due", .bool(due)),
            ("next_reminder", nextReminder.map { .string($0.rfc3339) } ?? .null),
            ("snoozed_until", snoozedUntil.map { .string($0.rfc3339) } ?? .null), ("snoozes", .integer(Int64(snoozes))),
            ("nag", nag.map { .integer(Int64($0)) } ?? .null),
        ]
        if let snoozeSeconds { members.append(("snooze_s", .integer(snoozeSeconds))) }
        return .object(members)
    }

    init(json: JSONValue, context: String) throws(ReplyParseError) {
        let reader = StatusResult.Reader(value: json, context: context)
        guard case .object = json else { throw ReplyParseError(reason: "\(context): not an object") }
        name = try reader.string("name")
        everySeconds = try reader.integer("every_s")
        durationSeconds = try reader.integer("duration_s")
        sittingSeconds = try reader.integer("sitting_s")
        due = try reader.bool("due")
        nextReminder = try reader.optionalTime("next_reminder")
        snoozedUntil = try reader.optionalTime("snoozed_until")
        snoozes = Int(try reader.integer("snoozes"))
        nag = try reader.optionalInteger("nag").map { Int($0) }
        snoozeSeconds = json["snooze_s"]?.integerValue
    }
}

extension StatusResult {
    /// Typed access to an object's members with errors that name the member.
    struct Reader {
        var value: JSONValue
        var context: String

        func failure(_ key: String, _ expected: String) -> ReplyParseError {
            ReplyParseError(reason: "\(context): \"\(key)\" must be \(expected)")
        }

        func string(_ key: String) throws(ReplyParseError) -> String {
            guard let text = value[key]?.stringValue else { throw failure(key, "a string") }
            return text
        }

        func integer(_ key: String) throws(ReplyParseError) -> Int64 {
            guard let number = value[key]?.integerValue else { throw failure(key, "an integer") }
            return number
        }

        func optionalInteger(_ key: String) throws(ReplyParseError) -> Int64? {
            guard let member = value[key] else { throw failure(key, "an integer or null") }
            if member == .null { return nil }
            guard let number = member.integerValue else { throw failure(key, "an integer or null") }
            return number
        }

        func bool(_ key: String) throws(ReplyParseError) -> Bool {
            guard let flag = value[key]?.boolValue else { throw failure(key, "true or false") }
            return flag
        }

        func optionalTime(_ key: String) throws(ReplyParseError) -> Timestamp? {
            guard let member = value[key] else { throw failure(key, "an RFC 3339 time or null") }
            if member == .null { return nil }
            guard let text = member.stringValue, let time = Timestamp(rfc3339: text) else {
                throw failure(key, "an RFC 3339 time or null")
            }
            return time
        }

        func strings(_ key: String) throws(ReplyParseError) -> [String] {
            guard let list = value[key]?.arrayValue else { throw failure(key, "a list of strings") }
            var out: [String] = []
            for element in list {
                guard let text = element.stringValue else { throw failure(key, "a list of strings") }
                out.append(text)
            }
            return out
        }
    }
}
