import SitbreakProtocol
import SitbreakSystem

/// The `sitbreak-notify` program: options, the service, its exit status.
public enum NotifyMain {
    /// Runs with `arguments` (without the program name); returns the exit status.
    public static func run(arguments: [String]) -> Int32 {
        let options: NotifyOptions
        do {
            options = try NotifyOptions.parse(arguments)
        } catch {
            StandardError.writeLine(error.description)
            return 64
        }
        if options.showHelp {
            let out = StandardOutput()
            out.write(NotifyOptions.help + "\n")
            try? out.flush()
            return 0
        }
        if options.showVersion {
            let out = StandardOutput()
            out.write("sitbreak-notify \(ControlProtocol.softwareVersion)\n")
            try? out.flush()
            return 0
        }
        do {
            return try NotifyService(options: options, environment: ProcessEnvironment.current()).run()
        } catch {
            StandardError.writeLine("sitbreak-notify: \(error)")
            return 1
        }
    }
}
