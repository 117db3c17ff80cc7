import SitbreakDBus

/// logind's inhibitors as `ListInhibitors` returns them (`a(ssssuu)`: what, who, why, mode, uid,
/// pid), and which of them hold off idleness.
struct LogindInhibitors: Equatable {
    /// One inhibitor.
    struct Inhibitor: Equatable {
        /// Colon-separated locks, e.g. `idle` or `sleep:idle`.
        var what: String
        /// The application, e.g. `Firefox`.
        var who: String
        /// Why, e.g. `video is playing`.
        var why: String
        /// `block`, `block-weak` or `delay`.
        var mode: String

        /// Whether it holds off idleness: `idle` among its locks. (logind refuses `delay` for
        /// anything but sleep and shutdown, so no mode needs excluding.)
        var inhibitsIdle: Bool { what.split(separator: ":").contains("idle") }
    }

    /// Every inhibitor listed.
    var all: [Inhibitor]

    /// Reads the reply of `ListInhibitors`; rows of another shape are skipped.
    init(listReply: [BusValue]) {
        all = (listReply.first?.elements ?? []).compactMap { row in
            guard let fields = row.elements, fields.count >= 4, let what = fields[0].stringValue,
                let who = fields[1].stringValue, let why = fields[2].stringValue, let mode = fields[3].stringValue
            else { return nil }
            return Inhibitor(what: what, who: who, why: why, mode: mode)
        }
    }

    /// The inhibitors that hold off idleness.
    var idle: [Inhibitor] { all.filter(\.inhibitsIdle) }
}
