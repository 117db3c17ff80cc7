import ArgumentParser
import SitbreakClient
import SitbreakConfig
import SitbreakProtocol
import SitbreakSystem

/// The `--socket` option every command that talks to sitbreakd has.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The daemon's control socket.",
            discussion: "Default: $XDG_RUNTIME_DIR/sitbreak/control.sock, where sitbreakd and its socket unit put it.",
            valueName: "path"),
        completion: .file()
    )
    var socket: String?

    /// `--socket`, else the default path.
    ///
    /// Not `socket ?? ControlClient.defaultPath()`: `??` is `rethrows`, and the Swift 6.3 compiler
    /// then hands a typed `ClientError` to the catch block in a form that no longer matches its
    /// cases (seen: `notReachable` taken for `daemon`).
    func socketPath() throws(ClientError) -> String {
        if let socket { return socket }
        return try ControlClient.defaultPath()
    }

    /// Runs `body` on a fresh connection; failures print one line on stderr and become the
    /// documented exit codes.
    func withClient(_ body: (ControlClient) throws(ClientError) -> Void) throws {
        do throws(ClientError) {
            let client = try ControlClient(path: try socketPath())
            defer { client.close() }
            try body(client)
        } catch {
            StandardError.writeLine("sitbreakctl: " + Self.message(for: error))
            throw Self.exitCode(for: error)
        }
    }

    /// The line for stderr, with a hint where there is something to do about it.
    static func message(for error: ClientError) -> String {
        switch error {
        case .notReachable:
            error.description + "; " + UserUnits().startHint
        case .daemon(let code, let message) where code == ProtocolError.Code.refused.rawValue:
            "sitbreakd refused: " + message
        case .daemon(let code, let message):
            "sitbreakd: \(code): \(message)"
        default:
            error.description
        }
    }

    /// The exit code for `error` (see ``ExitStatus``).
    static func exitCode(for error: ClientError) -> ExitCode {
        switch error {
        case .noRuntimeDirectory, .notReachable, .timeout:
            return ExitStatus.unavailable
        case .daemon(let code, _):
            switch ProtocolError.Code(rawValue: code) {
            case .refused, .reloadFailed, .unsupported: return ExitStatus.refused
            case .tooManyClients, .permissionDenied: return ExitStatus.unavailable
            default: return ExitStatus.protocolError
            }
        case .malformedReply, .closed, .io:
            return ExitStatus.protocolError
        }
    }
}

/// Writes text to stdout and flushes it, turning a failed write into exit code 74.
func printOut(_ text: String) throws {
    let output = StandardOutput()
    output.write(text)
    do {
        try output.flush()
    } catch {
        StandardError.writeLine("sitbreakctl: \(error.message)")
        throw ExitStatus.outputFailed
    }
}

/// The `events` of a command's result, each rendered on its own line.
func renderEvents(of result: JSONValue) throws(ClientError) -> String {
    guard let events = result["events"]?.arrayValue else {
        throw .malformedReply("the result has no \"events\" list: \(result.serialized)")
    }
    let renderer = EventRenderer(clock: LocalClock(), showsTime: false)
    return events.map { renderer.render($0) + "\n" }.joined()
}

/// A duration from the command line: `10m`, `1h30m`, `45s`, read exactly as the configuration
/// reads them. `0s` is a duration there (a nudge's `duration`), so it is not called "not a
/// duration" here: a snooze or pause of 0s would do nothing, and the message says so.
func parseDuration(_ text: String, for name: String) throws -> Int64 {
    if text == "off" {
        throw ValidationError("\(name): \"off\" is not allowed; a pause always ends (give a duration such as 1h)")
    }
    if !text.isEmpty, text.allSatisfy(\.isNumber) {
        throw ValidationError("\(name): \"\(text)\" has no unit; write \(text)m or \(text)s")
    }
    guard let seconds = DurationText.parse(text) else {
        throw ValidationError("\(name): \"\(text)\" is not a duration such as 10m, 1h30m or 45s")
    }
    guard seconds > 0 else {
        throw ValidationError(
            "\(name): \(text) is too short: a snooze or pause of 0s would do nothing; give at least 1s")
    }
    return seconds
}
