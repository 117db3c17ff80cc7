import Glibc
import SitbreakSystem
import SitbreakSystemd

/// The `sitbreakd` program: options, the log, the daemon, its exit status.
public enum SitbreakDaemonMain {
    /// Runs the daemon with `arguments` (without the program name); returns the exit status.
    public static func run(arguments: [String]) -> Int32 {
        let options: DaemonOptions
        do {
            options = try DaemonOptions.parse(arguments)
        } catch {
            StandardError.writeLine(error.description)
            return 64
        }
        if options.showHelp {
            print(DaemonOptions.help)
            return 0
        }
        if options.showVersion {
            print("sitbreakd \(Daemon.version)")
            return 0
        }
        let log = EventLogs.automatic()
        do {
            let daemon = try Daemon(options: options, environment: ProcessEnvironment.current(), log: log)
            return daemon.run()
        } catch {
            log.log(.error, "sitbreakd cannot start: \(error)")
            StandardError.writeLine("sitbreakd: \(error)")
            return 1
        }
    }
}
