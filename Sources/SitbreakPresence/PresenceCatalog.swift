/// Every presence source by name, and the default order of each question's chain (docs/design.md §5).
///
/// `[presence]` in the configuration may reorder or pin the names; `SitbreakConfig` validates
/// them against its own copy of ``defaultOrder`` (a test keeps the two equal).
public enum PresenceCatalog {
    /// The questions in the order they are set up and shown.
    public static let questions: [PresenceQuestion] = [.suspend, .lock, .idle, .inhibit]

    /// The default chain of each question, best first. `always` ends the idle chain.
    public static let defaultOrder: [PresenceQuestion: [String]] = [
        .suspend: ["logind"],
        .lock: ["logind", "screensaver"],
        .idle: ["mutter", "swayidle", "x11", "kde", "logind", "terminal", "always"],
        .inhibit: ["logind", "gnome"],
    ]

    /// A new source named `id` answering `question`, or nil for a name this build does not have.
    public static func makeSource(_ id: String, for question: PresenceQuestion) -> (any PresenceSource)? {
        switch (question, id) {
        case (.idle, "swayidle"): SwayidleSource()
        case (.idle, "x11"): X11IdleSource()
        case (.idle, "terminal"): TerminalIdleSource()
        case (.suspend, "logind"): LogindSleepSource()
        case (.lock, "logind"): LogindLockSource()
        case (.idle, "logind"): LogindIdleSource()
        case (.inhibit, "logind"): LogindInhibitSource()
        case (.idle, "mutter"): MutterIdleSource()
        case (.lock, "screensaver"): ScreenSaverLockSource()
        case (.idle, "kde"): KDEIdleSource()
        case (.inhibit, "gnome"): GNOMEInhibitorSource()
        case (.idle, "always"): AlwaysPresentSource()
        default: nil
        }
    }

    /// The chains for `order` (default: ``defaultOrder``); an idle chain always ends in `always`,
    /// the "otherwise" of docs/design.md §5, so a pinned source that fails still leaves a source.
    public static func chains(
        _ order: [PresenceQuestion: [String]] = defaultOrder
    ) -> [(PresenceQuestion, [any PresenceSource])] {
        questions.map { question in
            var names = order[question] ?? defaultOrder[question] ?? []
            if question == .idle && !names.contains("always") { names.append("always") }
            return (question, names.compactMap { makeSource($0, for: question) })
        }
    }
}
