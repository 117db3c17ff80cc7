import SitbreakConfig
import SitbreakEngine
import SitbreakNotify
import SitbreakProtocol
import Testing

/// The notifier as a pure state machine: daemon events and server signals in, notifications and
/// commands out.
@Suite struct NotifierTests {
    static let walk = Event.Reminder(
        kind: "walk", nag: 0, sittingSeconds: 3120, covers: [], message: "Time to walk.",
        suggestion: "Fetch a glass of water.")

    static func state(snooze: Seconds = 600, due: Bool = true, duration: Seconds = 300) -> StatusResult {
        StatusResult(
            present: true, pausedUntil: nil, suspended: false, nextDeadline: nil, sources: [], config: "c",
            kinds: [
                StatusResult.Kind(
                    name: "walk", everySeconds: 3000, durationSeconds: duration, sittingSeconds: 3120, due: due,
                    nextReminder: nil, snoozedUntil: nil, snoozes: 0, nag: 0, snoozeSeconds: snooze)
            ], statusLine: "s")
    }

    /// A notifier talking to a server with `capabilities`, that knows walk's snooze length.
    static func notifier(
        _ capabilities: ServerCapabilities = ServerCapabilities(actions: true, bodyMarkup: true),
        preferences: NotifyPreferences = NotifyPreferences()
    ) -> Notifier {
        var notifier = Notifier(preferences: preferences)
        _ = notifier.handle(.serverAppeared(capabilities))
        _ = notifier.handle(.daemon(.state(state())))
        return notifier
    }

    static func shownRequest(_ actions: [Notifier.Action]) -> NotificationRequest? {
        guard actions.count == 1, case .show(let request) = actions[0] else { return nil }
        return request
    }

    @Test func aReminderShowsItsMessageSuggestionSittingTimeAndButtons() throws {
        var notifier = Self.notifier()
        let request = try #require(Self.shownRequest(notifier.handle(.daemon(.reminder(Self.walk)))))
        #expect(request.slot == .kind("walk"))
        #expect(request.replacesID == 0)
        #expect(request.summary == "Time to walk.")
        #expect(request.body == "Fetch a glass of water.\nYou have sat for 52 minutes.")
        #expect(request.actions.map(\.key) == ["snooze", "skip", "done"])
        #expect(request.actions.map(\.label) == ["Snooze 10 min", "Skip", "Done"])
        #expect(request.urgency == 1)
        #expect(request.expireMilliseconds == 0)
    }

    @Test func aNagReplacesTheKindsNotification() throws {
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 7))
        var nag = Self.walk
        nag.nag = 1
        let request = try #require(Self.shownRequest(notifier.handle(.daemon(.reminder(nag)))))
        #expect(request.replacesID == 7)
    }

    @Test func coversAreNamedInTheBody() throws {
        var notifier = Self.notifier()
        var reminder = Self.walk
        reminder.covers = ["eyes", "posture"]
        let request = try #require(Self.shownRequest(notifier.handle(.daemon(.reminder(reminder)))))
        #expect(request.body.hasSuffix("This break also covers eyes and posture."))
    }

    @Test(arguments: [true, false])
    func textIsEscapedOnlyForServersWithBodyMarkup(markup: Bool) throws {
        var notifier = Self.notifier(ServerCapabilities(actions: true, bodyMarkup: markup))
        var reminder = Self.walk
        reminder.suggestion = "Stretch <arms> & legs"
        let request = try #require(Self.shownRequest(notifier.handle(.daemon(.reminder(reminder)))))
        #expect(request.body.hasPrefix(markup ? "Stretch &lt;arms&gt; &amp; legs" : "Stretch <arms> & legs"))
    }

    @Test func withoutActionsTheBodyNamesTheCommands() throws {
        var notifier = Self.notifier(ServerCapabilities(actions: false, bodyMarkup: false))
        let request = try #require(Self.shownRequest(notifier.handle(.daemon(.reminder(Self.walk)))))
        #expect(request.actions.isEmpty)
        #expect(request.body.contains("Snooze: sitbreakctl snooze walk"))
        #expect(request.body.contains("Done: sitbreakctl done walk"))
    }

    @Test(arguments: [
        DaemonEvent.breakTaken(kind: "walk"), .snoozed(kind: "walk"), .skipped(kind: "walk"), .away, .paused,
    ])
    func theNotificationClosesWhenItIsNoLongerTrue(event: DaemonEvent) {
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        #expect(notifier.handle(.daemon(event)) == [.close(id: 3)])
        #expect(notifier.shown.isEmpty)
    }

    @Test func anotherKindsEventLeavesItOpen() {
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        #expect(notifier.handle(.daemon(.snoozed(kind: "posture"))) == [])
    }

    @Test(arguments: [
        ("snooze", SitbreakEngine.Command.snooze(.kind("walk"), duration: nil)), ("skip", .skip(kind: "walk")),
        ("done", .done(kind: "walk")),
    ])
    func aButtonSendsItsCommand(key: String, command: SitbreakEngine.Command) {
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        #expect(notifier.handle(.actionInvoked(id: 3, key: key)) == [.send(command)])
        // The server closing it after the button is the button's doing, not a dismissal.
        #expect(notifier.handle(.closed(id: 3, reason: 2)) == [])
    }

    @Test func aDismissalDoesNothingByDefault() {
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        #expect(notifier.handle(.closed(id: 3, reason: 2)) == [])
        #expect(notifier.shown.isEmpty)
    }

    @Test func aDismissalDoesWhatIsConfigured() {
        var notifier = Self.notifier(preferences: NotifyPreferences(dismiss: .snooze))
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        #expect(notifier.handle(.closed(id: 3, reason: 1)) == [], "an expiry is no dismissal")
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 4))
        #expect(notifier.handle(.closed(id: 4, reason: 2)) == [.send(.snooze(.kind("walk"), duration: nil))])
    }

    @Test func aRefusedCommandReplacesTheNotificationWithTheReason() throws {
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        let reason = Refusal.maxSnoozes(kind: "walk", limit: 2).reason
        let request = try #require(
            Self.shownRequest(notifier.handle(.refused(command: "snooze", kind: "walk", reason: reason))))
        #expect(request.replacesID == 3)
        #expect(request.summary == "Could not snooze walk")
        #expect(request.body == NotificationText.sentence(reason))
        #expect(request.actions.map(\.key) == ["skip", "done"])
    }

    @Test func aNewServerGetsWhatIsStillTrueAsNewNotifications() throws {
        var notifier = Self.notifier(ServerCapabilities(actions: false, bodyMarkup: false))
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        #expect(notifier.handle(.serverVanished) == [])
        let request = try #require(
            Self.shownRequest(notifier.handle(.serverAppeared(ServerCapabilities(actions: true, bodyMarkup: true)))))
        #expect(request.replacesID == 0)
        #expect(request.actions.count == 3, "worded for the new server")
        #expect(notifier.handle(.closed(id: 3, reason: 2)) == [], "the old server's ids mean nothing")
    }

    @Test func aSnapshotWhereTheKindIsNoLongerDueClosesIt() {
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        #expect(notifier.handle(.daemon(.state(Self.state(due: true)))) == [])
        #expect(notifier.handle(.daemon(.state(Self.state(due: false)))) == [.close(id: 3)])
    }

    @Test func aNudgeStaysAfterTheSnapshotThatShowsItReset() {
        // A nudge's reminder is the whole thing: the engine resets it at once.
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        #expect(notifier.handle(.daemon(.state(Self.state(due: false, duration: 0)))) == [])
        #expect(notifier.shown[.kind("walk")]?.id == 3)
    }

    @Test func theSnoozeLabelFollowsTheSnapshot() throws {
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.state(Self.state(snooze: 5400))))
        let request = try #require(Self.shownRequest(notifier.handle(.daemon(.reminder(Self.walk)))))
        #expect(request.actions.first?.label == "Snooze 1 h 30 min")
    }

    @Test func theDailyLimitHasItsOwnNotification() throws {
        var notifier = Self.notifier()
        _ = notifier.handle(.daemon(.reminder(Self.walk)))
        _ = notifier.handle(.shown(.kind("walk"), id: 3))
        let request = try #require(Self.shownRequest(notifier.handle(.daemon(.dailyLimit(sittingSeconds: 28800)))))
        #expect(request.slot == .dailyLimit)
        #expect(request.replacesID == 0)
        #expect(request.body == "You have sat for 8 hours today.")
        #expect(request.actions.isEmpty)
    }

    @Test func aTakenBreakIsConfirmedOnlyWhenAskedFor() throws {
        var quiet = Self.notifier()
        #expect(quiet.handle(.daemon(.breakTaken(kind: "walk"))) == [])
        var confirming = Self.notifier(preferences: NotifyPreferences(confirmBreak: true))
        let request = try #require(Self.shownRequest(confirming.handle(.daemon(.breakTaken(kind: "walk")))))
        #expect(request.slot == .confirmation)
        #expect(request.urgency == 0)
    }

    @Test func preferencesSetUrgencyExpiryAndSound() throws {
        var notifier = Self.notifier(
            preferences: NotifyPreferences(urgency: .critical, expire: .after(30), sound: "bell"))
        let request = try #require(Self.shownRequest(notifier.handle(.daemon(.reminder(Self.walk)))))
        #expect(request.urgency == 2)
        #expect(request.expireMilliseconds == 30000)
        #expect(request.soundName == "bell")
    }
}
