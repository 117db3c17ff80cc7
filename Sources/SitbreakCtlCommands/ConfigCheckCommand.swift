import ArgumentParser
import SitbreakConfig
import SitbreakEngine
import SitbreakSystem

/// `sitbreakctl config check`: validates a configuration file and shows the schedule it yields.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a configuration file and show the schedule it defines.",
        discussion: """
            Reads the file, reports the first error as FILE:LINE: KEY: what is wrong, and otherwise \
            prints a summary of the schedule: its kinds, their intervals and reminders, and the \
            active hours; then the [notify], [hooks], [presence] and [history] settings, the \
            defaults included. Without FILE it checks $XDG_CONFIG_HOME/sitbreak/config.toml (else \
            ~/.config/sitbreak/config.toml); when that file does not exist, it says so and shows \
            the built-in default, which is what the daemon would use.

            Examples:
              sitbreakctl config check
              sitbreakctl config check ~/dotfiles/sitbreak.toml

            \(ExitStatus.helpText)
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The configuration file to check (default: the one the daemon reads).", valueName: "file"),
        completion: .file(extensions: ["toml"])
    )
    var file: String?

    func run() throws {
        let output = StandardOutput()
        let configuration: Configuration
        let path = file ?? ConfigLoader.defaultPath(environment: ProcessEnvironment.current())
        if let path, file != nil || FileStatus.exists(path) {
            do {
                configuration = try ConfigLoader.loadConfiguration(path: path)
            } catch {
                StandardError.writeLine(error.description)
                throw ExitStatus.badInput
            }
            output.write("\(path): valid\n")
        } else {
            // No file at the default place is not an error: the daemon runs on the built-in default.
            let place = path.map { "no configuration file at \($0)" } ?? "neither XDG_CONFIG_HOME nor HOME is set"
            output.write("\(place); using the built-in default\n")
            configuration = .builtInDefault
        }
        let summary = configuration.schedule.summary()
        output.write(summary.hasSuffix("\n") ? summary : summary + "\n")
        output.write(Self.notifySummary(configuration.notify))
        output.write(Self.hooksSummary(configuration.hooks))
        output.write(Self.presenceSummary(configuration.presence))
        output.write(Self.historySummary(configuration.history))
        do {
            try output.flush()
        } catch {
            StandardError.writeLine("sitbreakctl: \(error.message)")
            throw ExitStatus.outputFailed
        }
    }

    /// `[notify]` in one line, in the file's own words, so that a setting can be found again in it.
    static func notifySummary(_ notify: NotifyPreferences) -> String {
        let expire =
            switch notify.expire {
            case .never: "never"
            case .serverDefault: "default"
            case .after(let seconds): DurationText.format(seconds)
            }
        return "notify (sitbreak-notify): urgency \(notify.urgency.rawValue), expire \(expire), "
            + "sound \(notify.sound ?? "none"), dismiss \(notify.dismiss.rawValue), "
            + "confirm_break \(notify.confirmBreak)\n"
    }

    /// `[hooks]`: the limits, then each event type's command as the file writes it, in event order.
    static func hooksSummary(_ hooks: HookPreferences) -> String {
        var text =
            "hooks (sitbreak-notify): timeout \(DurationText.format(hooks.timeoutSeconds)), "
            + "max_running \(hooks.maxRunning)"
        let commands = EventType.allCases.compactMap { type in hooks.commands[type].map { (type.name, $0) } }
        guard !commands.isEmpty else { return text + ", no commands\n" }
        text += "\n"
        let width = commands.map(\.0.count).max() ?? 0
        for (name, argv) in commands {
            let list = argv.map(Self.quoted).joined(separator: ", ")
            text += "  " + name + String(repeating: " ", count: width - name.count) + "  [" + list + "]\n"
        }
        return text
    }

    /// `text` as a TOML basic string: quoted, each quote and backslash escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    /// `[history]` in one line: how long events are kept.
    static func historySummary(_ history: HistoryPreferences) -> String {
        guard let keep = history.keep else { return "history: kept forever (keep = \"off\")\n" }
        let days = keep / 86_400
        func count(_ number: Int64, _ unit: String) -> String { number == 1 ? "1 \(unit)" : "\(number) \(unit)s" }
        let period =
            days % 365 == 0 ? count(days / 365, "year") : days % 7 == 0 ? count(days / 7, "week") : count(days, "day")
        return "history: events older than \(period) are removed, at most once a day\n"
    }

    /// One line per presence question: the sources it may use, in order.
    static func presenceSummary(_ presence: PresencePreferences) -> String {
        var text = "presence sources, in order of preference:\n"
        for (question, defaults) in PresencePreferences.knownSources {
            var sources = presence.order[question] ?? defaults
            if question == "idle" && !sources.contains("always") { sources.append("always") }
            let padding = String(repeating: " ", count: 8 - question.count)
            text += "  \(question)\(padding)\(sources.isEmpty ? "none" : sources.joined(separator: ", "))\n"
        }
        return text
    }
}
