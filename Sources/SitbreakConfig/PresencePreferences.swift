/// The `[presence]` table: which presence sources each question may use, in which order
/// (docs/design.md §5). A question left out keeps the default chain.
///
/// ```toml
/// [presence]
/// idle = ["x11", "terminal"]   # pin X11, then the terminal; "always" ends every idle chain
/// lock = ["screensaver"]
/// inhibit = []                 # no idle inhibitors
/// ```
public struct PresencePreferences: Hashable, Sendable {
    /// The questions and the sources each can use, in the default order (the daemon's
    /// `PresenceCatalog.defaultOrder`; a test keeps the two equal).
    public static let knownSources: [(question: String, sources: [String])] = [
        ("suspend", ["logind"]),
        ("lock", ["logind", "screensaver"]),
        ("idle", ["mutter", "swayidle", "x11", "kde", "logind", "terminal", "always"]),
        ("inhibit", ["logind", "gnome"]),
    ]

    /// The chains the file sets, by question name (`idle` → `["x11", "terminal"]`).
    public var order: [String: [String]]

    /// Preferences that keep every default chain.
    public init(order: [String: [String]] = [:]) {
        self.order = order
    }
}
