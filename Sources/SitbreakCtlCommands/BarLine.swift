import SitbreakEngine
import SitbreakProtocol

/// What a status bar shows for one daemon snapshot at one instant: pure, so the formats are
/// tested line for line and `watch` only decides when to print.
struct BarLine: Equatable {
    /// `walk in 12m`, `walk due`, `paused until 11:00`, `away`.
    var text: String
    /// Every kind's sitting time, one a line.
    var tooltip: String
    /// `ok`, `soon` (5 minutes or less), `due`, `paused`, `away`: a CSS class for waybar.
    var cssClass: String
    /// How full the nearest kind's interval is, 0–100.
    var percentage: Int

    /// The line for `status` at `now`.
    init(_ status: StatusResult, now: Timestamp, clock: LocalClock) {
        tooltip = status.kinds.map { kind in
            "\(kind.name): sitting \(durationText(kind.sittingSeconds)) of \(durationText(kind.everySeconds))"
                + (kind.due ? ", due" : "")
        }.joined(separator: "\n")
        let nearest = status.kinds.filter { $0.everySeconds > 0 }.max {
            Double($0.sittingSeconds) / Double($0.everySeconds) < Double($1.sittingSeconds) / Double($1.everySeconds)
        }
        percentage = nearest.map { min(100, Int($0.sittingSeconds * 100 / $0.everySeconds)) } ?? 0
        if let until = status.pausedUntil {
            (text, cssClass) = ("paused until \(clock.format(until))", "paused")
        } else if !status.present {
            (text, cssClass) = ("away", "away")
        } else if let due = status.kinds.first(where: \.due) {
            (text, cssClass) = ("\(due.name) due", "due")
        } else if let next = status.kinds.compactMap({ kind in kind.nextReminder.map { (kind.name, $0) } })
            .min(by: { $0.1 < $1.1 })
        {
            let minutes = Self.minutesLeft(until: next.1, now: now)
            (text, cssClass) = ("\(next.0) in \(minutes)m", minutes <= 5 ? "soon" : "ok")
        } else {
            (text, cssClass) = ("no reminder planned", "ok")
        }
    }

    /// Whole minutes left, rounded up: `in 1m` until the reminder's second.
    static func minutesLeft(until instant: Timestamp, now: Timestamp) -> Int64 {
        max(0, (instant - now + 59) / 60)
    }

    /// Seconds from `now` until the countdown shown for `status` changes, or nil when nothing
    /// counts down (away, paused, due).
    static func nextChange(_ status: StatusResult, now: Timestamp) -> Int64? {
        guard status.present, status.pausedUntil == nil, !status.kinds.contains(where: \.due) else { return nil }
        guard let next = status.kinds.compactMap(\.nextReminder).min() else { return nil }
        let left = next - now
        guard left > 0 else { return nil }
        // The displayed minute changes when `left` crosses a multiple of 60.
        let step = (left - 1) % 60 + 1
        return step
    }

    /// waybar's custom module, `return-type: json`.
    var waybar: String {
        JSONValue.object([
            ("text", .string(text)), ("tooltip", .string(tooltip)), ("class", .string(cssClass)),
            ("percentage", .integer(Int64(percentage))),
        ]).serialized
    }

    /// A line from a template: `{text}`, `{class}`, `{color}`, `{percentage}`, `{tooltip}` (its
    /// lines joined with " · "). The named formats are templates too.
    func formatted(_ template: String) -> String {
        let expanded = Self.named[template] ?? template
        return expanded.replacingAll("{text}", with: text).replacingAll("{class}", with: cssClass)
            .replacingAll("{percentage}", with: String(percentage))
            .replacingAll("{tooltip}", with: tooltip.split(separator: "\n").joined(separator: " · "))
            .replacingAll("{color}", with: Self.colors[cssClass] ?? "default")
    }

    /// `--format` names: i3blocks (`interval=persist`: one line is the full text), polybar
    /// (`tail = true`), tmux (`#(…)`, with tmux's own colours for a due break).
    static let named: [String: String] = [
        "i3blocks": "{text}",
        "polybar": "{text}",
        "tmux": "#[fg={color}]{text}#[default]",
    ]

    /// `{color}`: a colour name tmux (and most bars) understand, per class.
    static let colors = [
        "ok": "default", "soon": "yellow", "due": "red", "paused": "brightblack", "away": "brightblack",
    ]
}

extension String {
    /// Every occurrence of `target` replaced (Foundation's replacingOccurrences, without Foundation here).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
