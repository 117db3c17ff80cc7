import SitbreakConfig
import SitbreakEngine

/// The full message `ConfigLoader.parse` throws for `text` (named `config.toml`), or nil when it
/// parses.
func configError(_ text: String) -> String? {
    do {
        _ = try ConfigLoader.parse(text: text, file: "config.toml")
        return nil
    } catch {
        return error.description
    }
}

/// The schedule `text` parses to, or nil (with the error recorded by the caller's expectation).
func schedule(_ text: String) throws -> Schedule {
    try ConfigLoader.parse(text: text, file: "config.toml")
}

/// A minimal valid kind table, for tests about something else.
let walkTable = """
    [breaks.walk]
    every = "50m"
    duration = "5m"
    """
