import ArgumentParser
import SitbreakClient
import SitbreakConfig
import SitbreakEngine
import SitbreakProtocol
import SitbreakSystem

/// `sitbreakctl status`: what the daemon knows now.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether you are present, how long you have sat, and when the next reminder comes.",
        discussion: """
            Asks sitbreakd for a snapshot and prints: present or away with the daemon's one-line \
            summary; whether reminders are on or paused (and until when); the next reminder; for \
            each kind its sitting time against its interval, whether it is due, its snooze and \
            the time of its next reminder (local time, TZ); the presence sources in use and the \
            configuration file. With --verbose (-v) it also lists, for each presence question, \
            the sources not in use and why (`x11: DISPLAY is not set`).

            With --json it prints the daemon's result object as it is (docs/protocol.md describes \
            its members), for scripts and status bars.

            Examples:
              sitbreakctl status
              sitbreakctl status --json | jq '.kinds[] | {name, sitting_s}'

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print the daemon's JSON result instead of the summary.")
    var json = false

    @Flag(name: [.short, .long], help: "Also list the presence sources not in use, and why.")
    var verbose = false

    func run() throws {
        var text = ""
        try connection.withClient { client throws(ClientError) in
            let result = try client.call(.status)
            if json {
                text = result.serialized + "\n"
                return
            }
            let status: StatusResult
            do throws(ReplyParseError) {
                status = try StatusResult(json: result)
            } catch {
                throw .malformedReply(error.reason)
            }
            text = StatusRenderer(clock: LocalClock(), verbose: verbose).render(status)
        }
        try printOut(text)
    }
}

/// `sitbreakctl snooze [KIND] [DURATION]`.
struct SnoozeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze",
        abstract: "Hold back a kind's reminders (or every kind's) for a while.",
        discussion: """
            Without KIND, or with KIND "all", every kind is snoozed, each in turn. Without \
            DURATION each kind's own `snooze` setting applies (10m unless configured). When the \
            only argument is a duration, it is the duration for every kind: `sitbreakctl snooze \
            15m`. A kind may be snoozed `max_snoozes` times (default 2) between two breaks; one \
            more is refused, and sitbreakctl exits 1 with the daemon's reason. When snoozing \
            every kind, each kind that is refused is named on stderr with its reason \
            ("refused: snooze walk: …"), the others are snoozed, and the exit status is 1 if \
            any was refused. A duration of 0s is refused: it would do nothing.

            Prints the events the snooze produced, e.g. "snoozed: walk until 10:40".

            Examples:
              sitbreakctl snooze
              sitbreakctl snooze walk
              sitbreakctl snooze walk 20m
              sitbreakctl snooze 15m

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("The kind to snooze, or all (default: all).", valueName: "kind"))
    var kind: String?

    @Argument(
        help: ArgumentHelp("How long, e.g. 10m or 1h30m (default: the kind's snooze setting).", valueName: "duration"))
    var duration: String?

    /// The engine command the arguments stand for.
    func target() throws -> Command {
        guard let kind else { return .snooze(.all, duration: nil) }
        if let duration {
            return .snooze(KindSelector(kind), duration: try parseDuration(duration, for: "duration"))
        }
        // A lone argument that reads as a duration (or a bare number, a duration missing its
        // unit) is the duration for every kind: kind names never look like one.
        if DurationText.parse(kind) != nil || kind.allSatisfy(\.isNumber) {
            return .snooze(.all, duration: try parseDuration(kind, for: "duration"))
        }
        return .snooze(KindSelector(kind), duration: nil)
    }

    func validate() throws {
        _ = try target()
    }

    func run() throws {
        let command = try target()
        guard case .snooze(.all, let duration) = command else {
            return try runCommand(.command(command), connection: connection)
        }
        // Every kind in turn, each its own request, so that each refusal comes back with its
        // reason (the daemon's `snooze all` reports only what it did).
        var text = ""
        var refusals: [String] = []
        try connection.withClient { client throws(ClientError) in
            let kinds = (try client.call(.status))["kinds"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            for kind in kinds {
                do throws(ClientError) {
                    text += try renderEvents(
                        of: try client.call(.command(.snooze(KindSelector(kind), duration: duration))))
                } catch .daemon(let code, let message) where code == ProtocolError.Code.refused.rawValue {
                    refusals.append("refused: snooze \(kind): \(message)")
                }
            }
        }
        try printOut(text)
        for refusal in refusals { StandardError.writeLine("sitbreakctl: " + refusal) }
        if !refusals.isEmpty { throw ExitStatus.refused }
    }
}

/// `sitbreakctl skip KIND`.
struct SkipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skip",
        abstract: "Start a kind's interval over without taking the break.",
        discussion: """
            The kind's sitting time restarts from zero and its reminders stop, as after a break, \
            but the break is recorded as skipped. An unknown kind is refused (exit 1).

            Examples:
              sitbreakctl skip stretch

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("The kind to skip.", valueName: "kind"))
    var kind: String

    func run() throws {
        try runCommand(.command(.skip(kind: kind)), connection: connection)
    }
}

/// `sitbreakctl done KIND`.
struct DoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Say you took a break that sitbreak could not see.",
        discussion: """
            For a break the idle detection cannot notice: you stood at the desk and stretched, or \
            walked while a video kept the screen awake. The kind resets and a manual break is \
            recorded. An unknown kind is refused (exit 1).

            Examples:
              sitbreakctl done stretch

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("The kind you took.", valueName: "kind"))
    var kind: String

    func run() throws {
        try runCommand(.command(.done(kind: kind)), connection: connection)
    }
}

/// `sitbreakctl pause [DURATION]`.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Hold back all reminders for a while; sitting time is still tracked.",
        discussion: """
            Without DURATION the configuration's `pause_default` applies (1h unless configured). \
            A pause always ends: "off" is not a duration. Pausing while paused sets a new end. \
            `sitbreakctl resume` ends a pause early.

            Examples:
              sitbreakctl pause
              sitbreakctl pause 2h

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("How long, e.g. 30m or 2h (default: pause_default).", valueName: "duration"))
    var duration: String?

    func validate() throws {
        if let duration { _ = try parseDuration(duration, for: "duration") }
    }

    func run() throws {
        let length = try duration.map { PauseLength.duration(try parseDuration($0, for: "duration")) }
        try runCommand(.command(.pause(length ?? .default)), connection: connection)
    }
}

/// `sitbreakctl resume`: ends a pause.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "End a pause now.",
        discussion: """
            Sends resume-reminders. When reminders are not paused the daemon refuses it (exit 1).

            Examples:
              sitbreakctl resume

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try runCommand(.command(.resumeReminders), connection: connection)
    }
}

extension Presence: ExpressibleByArgument {}

/// `sitbreakctl presence STATE`: the external presence feed.
struct PresenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presence",
        abstract: "Tell sitbreakd about presence: from a script, a compositor hook, a door sensor.",
        discussion: """
            STATE is what happened now: active (input is happening), idle (the last input was \
            now), lock, unlock, suspend, resume (the machine woke), inhibit and uninhibit (an \
            application holds an idle inhibitor, such as a video). Prints the events it caused, \
            such as "away since 10:26" or "back after 5m".

            Examples:
              sitbreakctl presence lock
              swayidle timeout 60 'sitbreakctl presence idle' resume 'sitbreakctl presence active'

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("What happened.", valueName: "state"))
    var state: Presence

    func run() throws {
        try runCommand(.presence(state), connection: connection)
    }
}

/// `sitbreakctl reload`.
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make sitbreakd read its configuration file again.",
        discussion: """
            Like `systemctl --user reload sitbreakd`. When the file has an error, the daemon keeps \
            the configuration it runs with and sitbreakctl prints why and exits 1; \
            `sitbreakctl config check` shows the same error without a daemon.

            Examples:
              sitbreakctl reload

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        var text = ""
        try connection.withClient { client throws(ClientError) in
            let result = try client.call(.reload)
            guard let config = result["config"]?.stringValue else {
                throw .malformedReply("the reload result has no \"config\": \(result.serialized)")
            }
            text = "reloaded: \(config)\n"
        }
        try printOut(text)
    }
}

/// `sitbreakctl watch`: the event stream.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print sitbreakd's events as they happen.",
        discussion: """
            Subscribes to the daemon and prints one line per event: reminders, breaks taken, \
            snoozes, pauses, away and back, and "state" snapshots (one at the start and after \
            each change), each with its local time. With --json it prints the lines as the daemon \
            sends them: the events exactly as `sitbreakctl simulate` prints them, plus \
            {"event":"state",…} objects.

            It runs until the daemon closes the connection (a stop or restart) or until \
            interrupted (Ctrl-C, SIGTERM); both exit 0.

            For status bars, --waybar prints one JSON object a line for a waybar custom module \
            ("return-type": "json"): text ("walk in 12m", "walk due", "away", "paused until \
            11:00"), tooltip (every kind's sitting time), class (ok, soon, due, paused, away) and \
            percentage (how full the nearest kind's interval is). --format prints plain lines: \
            i3blocks and polybar ({text}), tmux (coloured with #[fg=…]), or your own template. A \
            line is printed at the start, on every change and whenever the minute countdown \
            changes, and only when it differs from the last one. --once prints one line and exits.

            Examples:
              sitbreakctl watch
              sitbreakctl watch --waybar
              sitbreakctl watch --format '{text} ({percentage}%)'
              sitbreakctl watch --format tmux --once
              sitbreakctl watch --json | jq --unbuffered 'select(.event == "reminder")'

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print the daemon's JSON lines as they are.")
    var json = false

    @Flag(name: .long, help: "Print waybar custom-module JSON (text, tooltip, class, percentage) for a status bar.")
    var waybar = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Print a status-bar line: i3blocks, polybar, tmux, or a template.",
            discussion: "Templates use {text}, {class}, {color}, {percentage} and {tooltip}.",
            valueName: "format"))
    var format: String?

    @Flag(name: .long, help: "With --waybar or --format: print the current line and exit (for tmux's #(…)).")
    var once = false

    func validate() throws {
        if [json, waybar, format != nil].filter({ $0 }).count > 1 {
            throw ValidationError("--json, --waybar and --format exclude each other")
        }
        if once && !waybar && format == nil { throw ValidationError("--once needs --waybar or --format") }
    }

    func run() throws {
        if waybar || format != nil {
            return try runBar(template: waybar ? nil : format)
        }
        let interrupt = InterruptSignals.install()
        let renderer = EventRenderer(clock: LocalClock(), showsTime: true)
        var outputFailed = false
        try connection.withClient { client throws(ClientError) in
            try client.subscribe()
            while let line = try client.nextLine(timeout: nil, interruptedBy: interrupt >= 0 ? interrupt : nil) {
                var text: String
                if json {
                    text = String(decoding: line, as: UTF8.self)
                } else {
                    do throws(JSONParseError) {
                        text = renderer.render(try JSONParser.parse(bytes: line))
                    } catch {
                        throw .malformedReply(
                            "\(error.description): \(String(decoding: line.prefix(200), as: UTF8.self))")
                    }
                }
                text += "\n"
                // Each line at once: a watcher is read by a person or piped into a hook.
                let output = StandardOutput()
                output.write(text)
                do throws(OutputError) {
                    try output.flush()
                } catch {
                    StandardError.writeLine("sitbreakctl: \(error.message)")
                    outputFailed = true
                    return
                }
            }
        }
        if outputFailed { throw ExitStatus.outputFailed }
    }
}

/// `sitbreakctl version`: both ends' versions.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show the versions of sitbreakctl and of the running sitbreakd.",
        discussion: """
            Prints sitbreakctl's version and protocol, then asks the daemon for its own. When the \
            daemon cannot be reached it says so on the second line and still exits 0: the \
            client's part of the answer stands on its own.

            Examples:
              sitbreakctl version

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        var text = "sitbreakctl \(ControlProtocol.softwareVersion) (protocol \(ControlProtocol.version))\n"
        do {
            let client = try ControlClient(path: try connection.socketPath())
            defer { client.close() }
            let result = try client.call(.version)
            guard let version = result["version"]?.stringValue, let proto = result["protocol"]?.integerValue else {
                throw ClientError.malformedReply(
                    "the version result lacks \"version\" or \"protocol\": \(result.serialized)")
            }
            text += "sitbreakd \(version) (protocol \(proto))\n"
        } catch let error as ClientError {
            switch error {
            case .noRuntimeDirectory, .notReachable, .timeout:
                text += "sitbreakd: not reachable: \(error.description)\n"
            default:
                try printOut(text)
                StandardError.writeLine("sitbreakctl: " + ConnectionOptions.message(for: error))
                throw ConnectionOptions.exitCode(for: error)
            }
        }
        try printOut(text)
    }
}

/// Sends a command whose result is `{"events":[…]}` and prints the events.
private func runCommand(_ command: Request.Command, connection: ConnectionOptions) throws {
    var text = ""
    try connection.withClient { client throws(ClientError) in
        text = try renderEvents(of: try client.call(command))
    }
    try printOut(text)
}
