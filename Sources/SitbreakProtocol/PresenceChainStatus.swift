/// One presence question's chain in a `status` result: which source answers it and why the
/// others do not (docs/protocol.md, `presence`).
public struct PresenceChainStatus: Hashable, Sendable {
    /// One source of the chain.
    public struct Source: Hashable, Sendable {
        /// The source's name (`x11`, `logind`).
        public var id: String
        /// Whether it answers the question now.
        public var inUse: Bool
        /// What it watches when in use; why it is not, when it was tried; nil when it was not
        /// tried because a better one is in use.
        public var detail: String?

        /// Creates a source entry.
        public init(id: String, inUse: Bool, detail: String?) {
            self.id = id
            self.inUse = inUse
            self.detail = detail
        }
    }

    /// The question: `suspend`, `lock`, `idle` or `inhibit`.
    public var question: String
    /// The chain, best first.
    public var sources: [Source]

    /// Creates a chain entry.
    public init(question: String, sources: [Source]) {
        self.question = question
        self.sources = sources
    }

    /// The source in use, if any.
    public var inUse: Source? { sources.first(where: \.inUse) }

    /// The JSON object.
    public var json: JSONValue {
        .object([
            ("question", .string(question)),
            (
                "sources",
                .array(
                    sources.map {
                        .object([
                            ("source", .string($0.id)), ("in_use", .bool($0.inUse)),
                            ("detail", $0.detail.map { .string($0) } ?? .null),
                        ])
                    })
            ),
        ])
    }

    init(json: JSONValue, context: String) throws(ReplyParseError) {
        let reader = StatusResult.Reader(value: json, context: context)
        question = try reader.string("question")
        guard let list = json["sources"]?.arrayValue else { throw reader.failure("sources", "a list") }
        var sources: [Source] = []
        for (i, element) in list.enumerated() {
            let item = StatusResult.Reader(value: element, context: "\(context).sources[\(i)]")
            sources.append(
                Source(
                    id: try item.string("source"), inUse: try item.bool("in_use"),
                    detail: element["detail"]?.stringValue))
        }
        self.sources = sources
    }
}
