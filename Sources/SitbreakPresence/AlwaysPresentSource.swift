/// The last idle source, when nothing can tell whether the person is there: present from the
/// start, so reminders follow sitting time alone. Scripts may still feed presence through the
/// socket.
public final class AlwaysPresentSource: PresenceSource {
    public let id = "always"
    public let question = PresenceQuestion.idle
    public let description = "present whenever nothing else can tell"

    /// Creates the source.
    public init() {}

    public func start(_ context: PresenceContext) throws(PresenceUnavailable) {
        context.report(.active)
    }

    public func stop() {}
}
