import SitbreakConfig
import SitbreakEngine
import SitbreakProtocol

/// What `sitbreak-notify` shows, as a pure state machine: the daemon's events, the notification
/// server's signals and the replies to its own commands go in; the notifications to show or
/// close and the commands to send come out. No I/O, no clock: the shell (``NotifyService``)
/// performs the actions and reports back what the server answered (``Input/shown(_:id:)``).
public struct Notifier: Sendable {
    /// Something that happened.
    public enum Input: Hashable, Sendable {
        /// A line of the daemon's event stream.
        case daemon(DaemonEvent)
        /// A notification server took the name (or was found at start), announcing these capabilities.
        case serverAppeared(ServerCapabilities)
        /// The name lost its owner: the ids given so far mean nothing any more.
        case serverVanished
        /// `Notify` for `slot` returned `id`.
        case shown(NotificationSlot, id: UInt32)
        /// `ActionInvoked(id, key)`.
        case actionInvoked(id: UInt32, key: String)
        /// `NotificationClosed(id, reason)`: 1 expired, 2 dismissed by the person, 3 closed by a
        /// `CloseNotification` call, 4 undefined.
        case closed(id: UInt32, reason: UInt32)
        /// The daemon refused a command this program sent for `kind` (a button), with its reason.
        case refused(command: String, kind: String, reason: String)
        /// The `[notify]` table, at start and after a reload.
        case configured(NotifyPreferences)
    }

    /// What the shell must do, in order.
    public enum Action: Hashable, Sendable {
        /// Call `Notify`, then report ``Input/shown(_:id:)``.
        case show(NotificationRequest)
        /// Call `CloseNotification`.
        case close(id: UInt32)
        /// Send a command to the daemon (a button, or a dismissal with `dismiss` set).
        case send(SitbreakEngine.Command)
    }

    /// The `NotificationClosed` reason for a notification the person dismissed.
    public static let dismissedReason: UInt32 = 2

    /// The preferences in force.
    public private(set) var preferences: NotifyPreferences
    /// The server's capabilities (``ServerCapabilities/minimal`` until one is known).
    public private(set) var capabilities: ServerCapabilities = .minimal
    /// Each kind's snooze length, from the latest `state` snapshot.
    public private(set) var snoozeSeconds: [String: Seconds] = [:]
    /// What each slot shows now (the last request) and the server's id for it, if known.
    public private(set) var shown: [NotificationSlot: Shown] = [:]
    /// Ids whose button was pressed: their closing is the button's doing, not a dismissal.
    private var answered: Set<UInt32> = []

    /// A slot's notification on the screen.
    public struct Shown: Hashable, Sendable {
        /// What it says, kept so that it can be shown again, worded for another server.
        public var content: Content
        /// The last request made for the slot.
        public var request: NotificationRequest
        /// The server's id, once `Notify` returned.
        public var id: UInt32?
    }

    /// Creates a notifier with `preferences`.
    public init(preferences: NotifyPreferences = NotifyPreferences()) {
        self.preferences = preferences
    }

    /// Handles one input and returns what to do.
    public mutating func handle(_ input: Input) -> [Action] {
        switch input {
        case .daemon(let event): return handle(event)
        case .serverAppeared(let capabilities):
            self.capabilities = capabilities
            answered = []
            // A new server knows none of the old ids: show again what is still true, as new.
            var actions: [Action] = []
            for slot in shown.keys.sorted(by: Self.order) {
                guard var entry = shown[slot] else { continue }
                entry.request = request(for: entry.content)
                entry.id = nil
                shown[slot] = entry
                actions.append(.show(entry.request))
            }
            return actions
        case .serverVanished:
            for slot in shown.keys { shown[slot]?.id = nil }
            answered = []
            return []
        case .shown(let slot, let id):
            shown[slot]?.id = id
            return []
        case .actionInvoked(let id, let key):
            guard let (slot, _) = entry(id: id), let kind = slot.kind else { return [] }
            answered.insert(id)
            return command(key, kind: kind).map { [.send($0)] } ?? []
        case .closed(let id, let reason):
            guard let (slot, _) = entry(id: id) else { return [] }
            shown[slot] = nil
            let wasAnswered = answered.remove(id) != nil
            guard reason == Self.dismissedReason, !wasAnswered, let kind = slot.kind else { return [] }
            return command(preferences.dismiss.rawValue, kind: kind).map { [.send($0)] } ?? []
        case .refused(let command, let kind, let reason):
            return show(.refusal(command: command, kind: kind, reason: reason))
        case .configured(let preferences):
            self.preferences = preferences
            return []
        }
    }

    private mutating func handle(_ event: DaemonEvent) -> [Action] {
        switch event {
        case .reminder(let reminder):
            return show(.reminder(reminder))
        case .breakTaken(let kind):
            var actions = close(.kind(kind))
            if preferences.confirmBreak { actions += show(.confirmation(kind: kind)) }
            return actions
        case .snoozed(let kind), .skipped(let kind):
            return close(.kind(kind))
        case .paused, .away:
            // A reminder on the screen of someone who left (or paused reminders) helps nobody.
            return shown.keys.filter { $0.kind != nil }.sorted(by: Self.order).flatMap { close($0) }
        case .dailyLimit(let sitting):
            return show(.dailyLimit(sittingSeconds: sitting))
        case .state(let status):
            for kind in status.kinds {
                if let seconds = kind.snoozeSeconds { snoozeSeconds[kind.name] = seconds }
            }
            // After a reconnection no event says a kind was reset meanwhile; the snapshot does. A
            // nudge is reset by its own reminder (it is the whole thing), so its notification
            // stays until the next one replaces it or the person acts on it.
            let stale = status.kinds.filter { !$0.due && $0.durationSeconds > 0 }.map { NotificationSlot.kind($0.name) }
            return stale.filter { shown[$0] != nil }.flatMap { close($0) }
        case .other:
            return []
        }
    }

    private func entry(id: UInt32) -> (NotificationSlot, Shown)? {
        shown.first { $0.value.id == id }.map { ($0.key, $0.value) }
    }

    private mutating func show(_ content: Content) -> [Action] {
        var request = request(for: content)
        request.replacesID = shown[request.slot]?.id ?? 0
        shown[request.slot] = Shown(content: content, request: request, id: shown[request.slot]?.id)
        return [.show(request)]
    }

    private mutating func close(_ slot: NotificationSlot) -> [Action] {
        guard let entry = shown.removeValue(forKey: slot) else { return [] }
        guard let id = entry.id else { return [] }
        answered.remove(id)
        return [.close(id: id)]
    }

    /// The command an action key (or a dismissal setting) stands for.
    private func command(_ key: String, kind: String) -> SitbreakEngine.Command? {
        switch key {
        case "snooze": .snooze(.kind(kind), duration: nil)
        case "skip": .skip(kind: kind)
        case "done": .done(kind: kind)
        default: nil
        }
    }

    /// A stable order of slots, so the actions of one input come out the same every time.
    static func order(_ a: NotificationSlot, _ b: NotificationSlot) -> Bool {
        func rank(_ slot: NotificationSlot) -> (Int, String) {
            switch slot {
            case .kind(let name): (0, name)
            case .dailyLimit: (1, "")
            case .confirmation: (2, "")
            }
        }
        return rank(a) < rank(b)
    }
}
