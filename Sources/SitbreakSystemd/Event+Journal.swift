import SitbreakEngine

/// The `SYSLOG_IDENTIFIER` of every entry the daemon writes: `journalctl -t sitbreakd` shows them
/// all, whichever process name the binary was started under.
public let sitbreakSyslogIdentifier = "sitbreakd"

extension Event {
    /// The journal entry for this event (docs/design.md §4): `MESSAGE` (``sentence(in:)``),
    /// `PRIORITY`, `MESSAGE_ID`, `SYSLOG_IDENTIFIER`, then `SITBREAK_EVENT`, `SITBREAK_TIME` and
    /// the event's own fields as `SITBREAK_*` (the names of §2.4 in upper case).
    ///
    /// A pure function of the event and the zone, so tests check every field without a journal.
    /// Every event of one type carries the same set of fields (`SITBREAK_COVERS` is empty for a
    /// reminder that covers nothing; `SITBREAK_KIND` is left out only for a `refused` command that
    /// named no kind), so a query for a field never misses an entry because its value was empty.
    /// Booleans are `true`/`false` and durations whole seconds, as in the JSON events.
    public func journalFields(in zone: some LocalTimeZone) -> [JournalField] {
        var fields = [
            JournalField("MESSAGE", sentence(in: zone)),
            JournalField("PRIORITY", String(journalPriority.rawValue)),
            JournalField("MESSAGE_ID", body.type.journalMessageID),
            JournalField("SYSLOG_IDENTIFIER", sitbreakSyslogIdentifier),
            JournalField("SITBREAK_EVENT", name),
            JournalField("SITBREAK_TIME", time.rfc3339),
        ]
        for field in self.fields where field.inJournal {
            fields.append(JournalField("SITBREAK_" + field.name.uppercased(), field.value.plainText))
        }
        return fields
    }

    /// Reminders are `notice` (5), so `journalctl -p notice` lists exactly what asked the person to
    /// move; everything else is `info` (6).
    public var journalPriority: LogPriority { body.type.journalPriority }
}
