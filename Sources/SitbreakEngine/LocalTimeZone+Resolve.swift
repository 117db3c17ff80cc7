extension LocalTimeZone {
    /// The local date at `instant`.
    public func localDate(at instant: Timestamp) -> CivilDate {
        let local = instant.secondsSinceEpoch + utcOffset(at: instant)
        return CivilDate(daysSinceEpoch: local >= 0 ? local / 86400 : (local - 86399) / 86400)
    }

    /// The instant at which the wall clock shows `minuteOfDay` (0…1440) on `date`.
    ///
    /// Follows docs/engine.md §5.2: a local time skipped by a clock change means the moment of the
    /// change; a time that occurs twice means its first occurrence. `1440` is midnight at the end
    /// of the day.
    public func instant(on date: CivilDate, minuteOfDay: Int) -> Timestamp {
        let local = date.daysSinceEpoch * 86400 + Int64(minuteOfDay) * 60
        // Offsets lie within ±1 day of local time and clock changes are months apart, so at most
        // one change falls between the two probes.
        let before = utcOffset(at: Timestamp(secondsSinceEpoch: local - 86400))
        let after = utcOffset(at: Timestamp(secondsSinceEpoch: local + 86400))
        let early = Timestamp(secondsSinceEpoch: local - max(before, after))
        let late = Timestamp(secondsSinceEpoch: local - min(before, after))
        let earlyValid = utcOffset(at: early) == local - early.secondsSinceEpoch
        if earlyValid { return early }
        let lateValid = utcOffset(at: late) == local - late.secondsSinceEpoch
        if lateValid { return late }
        // Skipped: find the first instant of the new offset between the two candidates.
        let oldOffset = utcOffset(at: early)
        var low = early.secondsSinceEpoch  // still old offset
        var high = late.secondsSinceEpoch  // new offset
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if utcOffset(at: Timestamp(secondsSinceEpoch: mid)) == oldOffset { low = mid } else { high = mid }
        }
        return Timestamp(secondsSinceEpoch: high)
    }
}
