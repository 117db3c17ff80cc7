import SitbreakConfig
import SitbreakEngine
import SitbreakSystem

/// The schedule a statistics command reads days and kinds from: `--config FILE`, or the user's
/// configuration (or the built-in default).
enum ScheduleArgument {
    /// Loads it; a bad file prints its `FILE:LINE: KEY:` error and exits with the bad-input status.
    static func load(_ config: String?) throws -> Schedule {
        do {
            return try config.map { try ConfigLoader.load(path: $0) }
                ?? ConfigLoader.loadDefault(environment: ProcessEnvironment.current()).schedule
        } catch {
            StandardError.writeLine("\(error)")
            throw ExitStatus.badInput
        }
    }
}
