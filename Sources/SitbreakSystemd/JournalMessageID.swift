import SitbreakEngine

/// The journal `MESSAGE_ID` of each event type: fixed 128-bit ids, generated once, never reused.
///
/// `journalctl MESSAGE_ID=…` finds every entry of one type whatever its wording, and
/// `systemd/sitbreak.catalog` explains each id (`journalctl -x` shows that text). A test keeps
/// the catalog and these constants equal, so change both together — and never change an id once
/// released: people's saved queries and the installed catalog name it.
public enum JournalMessageID {
    /// `reminder`.
    public static let reminder = "36669efd334842b9b47357270fe67cf2"
    /// `break_taken`.
    public static let breakTaken = "848739f893004a3f8453fd77610e5184"
    /// `snoozed`.
    public static let snoozed = "5e55bb803fcc48e38d520b4781f241a7"
    /// `skipped`.
    public static let skipped = "582209bdf14646f588e049b4371be63a"
    /// `refused`.
    public static let refused = "309a6df1ce8f4e89b7dcb96bb7a3da9a"
    /// `paused`.
    public static let paused = "ab38ce3e28a746e08897e46b7eacaf34"
    /// `resumed`.
    public static let resumed = "72ba1317169449ccb3c96a21804c1ac1"
    /// `daily_limit`.
    public static let dailyLimit = "b139416aeb3e4adda17c9756f163dbfa"
    /// `away`.
    public static let away = "803bf16db7ff4cd48d6a0bf505a14fb2"
    /// `back`.
    public static let back = "1cd7c52f29cf448fa795c959811b3911"

    /// Every event name (the `event` field, docs/engine.md §8) with its id, in the order of ``EventType``.
    public static var all: [(event: String, id: String)] {
        EventType.allCases.map { ($0.name, $0.journalMessageID) }
    }
}

extension EventType {
    /// This event type's journal `MESSAGE_ID` (`systemd/sitbreak.catalog` explains each).
    public var journalMessageID: String {
        switch self {
        case .reminder: JournalMessageID.reminder
        case .breakTaken: JournalMessageID.breakTaken
        case .snoozed: JournalMessageID.snoozed
        case .skipped: JournalMessageID.skipped
        case .refused: JournalMessageID.refused
        case .paused: JournalMessageID.paused
        case .resumed: JournalMessageID.resumed
        case .dailyLimit: JournalMessageID.dailyLimit
        case .away: JournalMessageID.away
        case .back: JournalMessageID.back
        }
    }

    /// Reminders are `notice` (5), so `journalctl -p notice` lists exactly what asked the person to
    /// move; everything else is `info` (6).
    public var journalPriority: LogPriority {
        switch self {
        case .reminder: .notice
        case .breakTaken, .snoozed, .skipped, .refused, .paused, .resumed, .dailyLimit, .away, .back: .info
        }
    }
}

extension Event.Body {
    /// This event type's journal `MESSAGE_ID`.
    public var journalMessageID: String { type.journalMessageID }
}
