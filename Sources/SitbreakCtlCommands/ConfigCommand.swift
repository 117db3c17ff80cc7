import ArgumentParser

/// `sitbreakctl config`: groups the commands that work on the configuration file.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with the configuration file.",
        discussion: """
            The configuration lives at $XDG_CONFIG_HOME/sitbreak/config.toml (by default \
            ~/.config/sitbreak/config.toml); without it the built-in schedule applies: posture \
            every 20m (a nudge), walk every 50m (5m), stretch every 2h (10m).
            """,
        subcommands: [ConfigCheckCommand.self]
    )
}
