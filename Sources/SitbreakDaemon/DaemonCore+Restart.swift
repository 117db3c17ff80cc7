import SitbreakEngine

extension DaemonCore {
    /// What a start knows about the machine, to judge how long the daemon was down.
    struct RestartFacts: Hashable, Sendable {
        /// The present instant.
        var now: Timestamp
        /// The kernel's boot id now (nil when it cannot be read).
        var bootID: String?
        /// When this boot began (the present instant minus CLOCK_BOOTTIME): a daemon that ran in
        /// an earlier boot was down at least since then.
        var bootedAt: Timestamp
        /// The last heartbeat of the run before, if any.
        var lastBeat: Timestamp?
    }

    /// Where the absence the daemon's downtime proves begins; nil when the restart must change
    /// nothing. Only what can be proven counts, so a downtime is never overestimated into a
    /// break:
    /// - a clean stop recorded its instant: the downtime is known exactly;
    /// - a crash in the same boot leaves the downtime unknown (the last save or heartbeat only
    ///   says the daemon was alive then, not that it died then): no absence is fed, and the
    ///   presence sources' first reports tell whether the user was away (an idle source reports
    ///   the real last input, which the engine back-dates);
    /// - a crash before a reboot: the daemon was down at least since the boot began (or its
    ///   last proof of life, if later);
    /// - without a boot id on either side, a boot that began after the last proof of life
    ///   proves a reboot; otherwise it counts as a crash in the same boot.
    ///
    /// A downtime shorter than `idleThreshold` is no absence at all: a restart of a second
    /// (`systemctl --user restart`) keeps sitting time, nudges and series as they were.
    static func downtimeAbsence(after saved: SavedState, restart: RestartFacts, idleThreshold: Seconds) -> Timestamp? {
        guard let savedNow = saved.snapshot.now else { return nil }
        var start: Timestamp
        if let stopped = saved.stoppedAt {
            start = stopped
        } else {
            let lastAlive = max(savedNow, restart.lastBeat ?? savedNow)
            // Without both boot ids, a boot that began after the last proof of life still proves one.
            let rebooted =
                if let before = saved.bootID, let now = restart.bootID { before != now } else {
                    restart.bootedAt > lastAlive
                }
            guard rebooted else { return nil }
            start = max(restart.bootedAt, lastAlive)
        }
        start = min(max(start, savedNow), restart.now)
        return restart.now - start < idleThreshold ? nil : start
    }
}
