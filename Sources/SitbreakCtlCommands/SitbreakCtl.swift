import ArgumentParser
import SitbreakProtocol

/// The `sitbreakctl` command tree; `sitbreakctl`'s `main.swift` only calls `SitbreakCtl.main()`.
public struct SitbreakCtl: ParsableCommand {
    /// Names, help texts and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "sitbreakctl",
        abstract: "Control sitbreak, the sedentary-break reminder, and try out schedules.",
        discussion: """
            sitbreak reminds you to get up, walk, stretch and check your posture when you have sat \
            too long. Its daemon, sitbreakd, runs as a systemd user service. sitbreakctl asks it \
            how long you have sat (status), steers it (snooze, skip, done, pause, resume, reload, \
            presence) and follows its events (watch), over its control socket, \
            $XDG_RUNTIME_DIR/sitbreak/control.sock; --socket PATH, before or after the \
            subcommand, names another. It shows how much you sat and which breaks you took \
            (stats, history), checks what sitbreak needs when no reminder comes (doctor), checks \
            the configuration (config check) and runs traces, recorded or hand-written days of \
            activity, offline through the same engine the daemon uses (simulate).

            Examples:
              sitbreakctl status
              sitbreakctl snooze walk 15m
              sitbreakctl pause 1h
              sitbreakctl watch
              sitbreakctl --socket /tmp/test.sock status --json
              sitbreakctl simulate --config work.toml --trace day.trace
              sitbreakctl config check
              sitbreakctl stats --week
              sitbreakctl doctor
              source <(sitbreakctl --generate-completion-script bash)

            \(ExitStatus.helpText)
            """,
        version: "sitbreakctl \(ControlProtocol.softwareVersion)",
        subcommands: [
            StatusCommand.self, SnoozeCommand.self, SkipCommand.self, DoneCommand.self, PauseCommand.self,
            ResumeCommand.self, WatchCommand.self, ReloadCommand.self, PresenceCommand.self, DoctorCommand.self,
            VersionCommand.self, SimulateCommand.self, StatsCommand.self, ConfigCommand.self, HistoryCommand.self,
            HistoryImportCommand.self,
        ]
    )

    /// Creates the command; ArgumentParser fills in the options.
    public init() {}

    /// Runs the command line, accepting `--socket PATH` before the subcommand as well as after it.
    public static func main() {
        main(Self.movingSocketOption(Array(CommandLine.arguments.dropFirst())))
    }

    /// `--socket PATH SUB ARGS…` → `SUB --socket PATH ARGS…`.
    ///
    /// ArgumentParser gives a subcommand only the options it declares itself, so a "global"
    /// option is each daemon subcommand's `--socket`, and this moves it to where the parser
    /// looks. Anything else is left alone, so the parser still reports misuse.
    static func movingSocketOption(_ arguments: [String]) -> [String] {
        var moved: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            if first == "--socket", rest.count >= 2 {
                moved += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--socket=") {
                moved.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !moved.isEmpty, let subcommand = rest.first, !subcommand.hasPrefix("-") else { return arguments }
        return [subcommand] + moved + rest.dropFirst()
    }
}
