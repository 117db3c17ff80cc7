import ArgumentParser
import SitbreakProtocol

/// `sitbreakctl doctor`: why do I get no reminders?
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check everything sitbreak needs, one line per check, with what to do about each problem.",
        discussion: """
            Checks: the daemon answers and which unit runs it; sitbreakd.socket and \
            sitbreakd.service are installed and enabled; the configuration file is valid (and the \
            one the daemon runs on); which presence source tells when you are away, and why \
            better ones are not used; journald is reachable; sitbreakctl and sitbreakd are on \
            PATH; the clock and time zone are sane.

            Each line starts with ok, warn or FAIL; a problem is followed by a hint. The exit \
            status is 1 when any check FAILs (warnings alone exit 0). --json prints \
            {"ok":BOOL,"checks":[{"name","status","detail","hint"}]} instead.

            Examples:
              sitbreakctl doctor
              sitbreakctl doctor --json | jq '.checks[] | select(.status != "ok")'

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print the checks as one JSON object.")
    var json = false

    func run() throws {
        let facts = DoctorFacts.gather(socket: connection.socket)
        let results = DoctorCheck.all.map { ($0.name, $0.judge(facts)) }
        let healthy = !results.contains { $0.1.level == .fail }
        try printOut(json ? Self.json(results, healthy: healthy) + "\n" : Self.text(results))
        if !healthy { throw ExitStatus.refused }
    }

    /// `ok    daemon         sitbreakd 0.1.0 answers…`, and `      → hint` under a problem.
    static func text(_ results: [(String, DoctorCheck.Outcome)]) -> String {
        let width = results.map(\.0.count).max() ?? 0
        return results.map { name, outcome in
            let level = outcome.level == .fail ? "FAIL" : outcome.level.rawValue
            var line = level.padding(4) + "  " + name.padding(width) + "  " + outcome.detail + "\n"
            if let hint = outcome.hint { line += String(repeating: " ", count: width + 8) + "→ " + hint + "\n" }
            return line
        }.joined()
    }

    static func json(_ results: [(String, DoctorCheck.Outcome)], healthy: Bool) -> String {
        let checks = results.map { name, outcome in
            JSONValue.object([
                ("name", .string(name)), ("status", .string(outcome.level.rawValue)),
                ("detail", .string(outcome.detail)),
                ("hint", outcome.hint.map { .string($0) } ?? .null),
            ])
        }
        return JSONValue.object([("ok", .bool(healthy)), ("checks", .array(checks))]).serialized
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
