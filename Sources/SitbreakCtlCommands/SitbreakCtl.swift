import ArgumentParser

/// The `sitbreakctl` command tree; `sitbreakctl`'s `main.swift` only calls `SitbreakCtl.main()`.
public struct SitbreakCtl: ParsableCommand {
    /// Names, help texts and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "sitbreakctl",
        abstract: "Control sitbreak, the sedentary-break reminder, and try out schedules.",
        discussion: """
            sitbreak reminds you to get up, walk, stretch and check your posture when you have sat \
            too long. Its daemon, sitbreakd, runs as a systemd user service. sitbreakctl checks the \
            configuration and runs traces (recorded or hand-written days of activity) offline \
            through the same engine the daemon uses.

            Examples:
              sitbreakctl simulate --trace day.trace
              sitbreakctl simulate --config work.toml --trace day.trace
              sitbreakctl config check
              source <(sitbreakctl --generate-completion-script bash)

            \(ExitStatus.helpText)
            """,
        subcommands: [SimulateCommand.self, ConfigCommand.self]
    )

    /// Creates the command; ArgumentParser fills in the options.
    public init() {}
}
