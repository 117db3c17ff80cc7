import Glibc
import SitbreakClient
import SitbreakConfig
import SitbreakEngine
import SitbreakProtocol
import SitbreakSystem

/// One question `sitbreakctl doctor` answers, as data: a name and how to judge it from what the
/// doctor gathered once (``DoctorFacts``). A new check is one entry in ``DoctorCheck/all``.
struct DoctorCheck: Sendable {
    /// What a check found.
    struct Outcome: Equatable, Sendable {
        /// `ok`, `warn` (worth knowing, not a fault) or `fail` (a reason you may get no reminders).
        enum Level: String, Sendable { case ok, warn, fail }
        var level: Level
        /// What was found, one line.
        var detail: String
        /// What to do about it, for `warn` and `fail`.
        var hint: String?

        static func ok(_ detail: String) -> Outcome { Outcome(level: .ok, detail: detail, hint: nil) }
        static func warn(_ detail: String, hint: String) -> Outcome {
            Outcome(level: .warn, detail: detail, hint: hint)
        }
        static func fail(_ detail: String, hint: String) -> Outcome {
            Outcome(level: .fail, detail: detail, hint: hint)
        }
    }

    /// A short name: `daemon`, `units`.
    var name: String
    /// The judgement.
    var judge: @Sendable (DoctorFacts) -> Outcome

    /// Every check, in the order a person would look.
    static let all: [DoctorCheck] = [
        DoctorCheck(name: "daemon") { facts in
            guard let status = facts.status else {
                return .fail(
                    "not reachable: \(facts.statusError ?? "no answer")",
                    hint: facts.units.file(of: "sitbreakd.socket") != nil
                        ? "systemctl --user start sitbreakd.socket" : "install it (make install, or the Debian package)"
                )
            }
            let runner =
                facts.serviceActive ? "run by sitbreakd.service" : "not run by sitbreakd.service (started by hand?)"
            return .ok("sitbreakd \(status.version) answers, \(runner)")
        },
        DoctorCheck(name: "units") { facts in
            let missing = ["sitbreakd.socket", "sitbreakd.service"].filter { facts.units.file(of: $0) == nil }
            if !missing.isEmpty {
                return .fail(
                    "not installed: " + missing.joined(separator: ", "),
                    hint: "make install (or the Debian package), then systemctl --user daemon-reload")
            }
            let disabled = ["sitbreakd.socket", "sitbreakd.service"].filter { !facts.units.isEnabled($0) }
            if !disabled.isEmpty {
                return .fail(
                    "installed but not enabled: " + disabled.joined(separator: ", ") + " (it will not start at login)",
                    hint: "systemctl --user enable --now sitbreakd.socket sitbreakd.service")
            }
            return .ok("sitbreakd.socket and sitbreakd.service enabled (\(facts.units.file(of: "sitbreakd.service")!))")
        },
        DoctorCheck(name: "configuration") { facts in
            guard let path = facts.configPath, FileStatus.exists(path) else {
                return .ok("no configuration file; the built-in default applies")
            }
            do {
                _ = try ConfigLoader.loadConfiguration(path: path)
            } catch {
                return .fail(
                    String(describing: error),
                    hint:
                        "fix the file (sitbreakctl config check \(path)); the daemon keeps its last good configuration")
            }
            if let status = facts.status, status.config != path {
                return .warn(
                    "\(path) is valid, but the daemon runs on \(status.config)",
                    hint: "sitbreakctl reload")
            }
            return .ok("\(path) is valid")
        },
        DoctorCheck(name: "presence") { facts in
            guard let status = facts.status else {
                return .warn("unknown: the daemon is not reachable", hint: "see daemon")
            }
            guard let idle = status.presence.first(where: { $0.question == "idle" }), let used = idle.inUse else {
                return .ok(status.sources.joined(separator: ", "))
            }
            let better = idle.sources.prefix { !$0.inUse }.map { "\($0.id): \($0.detail ?? "unavailable")" }
            let line = "idle from \(used.id)" + (used.detail.map { " (\($0))" } ?? "")
            if used.id == "always" {
                return .warn(
                    line + "; nothing here tells when you are away, so breaks are only what you report",
                    hint: (better.isEmpty ? "" : "not used: " + better.joined(separator: "; ") + "; ")
                        + "start sitbreakd inside your graphical session, or feed it: sitbreakctl presence")
            }
            return .ok(line + (better.isEmpty ? "" : "; better ones not used: " + better.joined(separator: "; ")))
        },
        DoctorCheck(name: "notifications") { facts in
            guard let server = facts.notificationServer else {
                return .warn(
                    facts.sessionBus
                        ? "no notification server answers on the session bus: reminders reach only the journal"
                        : "no session bus: desktop notifications need a graphical session",
                    hint: "run your desktop's notification server (GNOME and KDE have one; on sway: mako or dunst)")
            }
            if facts.units.file(of: "sitbreak-notify.service") == nil {
                return .warn(
                    "\(server) answers, but sitbreak-notify.service is not installed",
                    hint: "make install (or the Debian package), then systemctl --user daemon-reload")
            }
            guard facts.notifyActive else {
                return .warn(
                    "\(server) answers, but sitbreak-notify is not running: reminders are not shown",
                    hint: "systemctl --user enable --now sitbreak-notify.service")
            }
            return .ok("sitbreak-notify shows reminders on \(server)")
        },
        DoctorCheck(name: "journal") { facts in
            FileStatus.exists(facts.journalSocket)
                ? .ok("journald listens at \(facts.journalSocket)")
                : .fail(
                    "no journald socket at \(facts.journalSocket): events are not logged",
                    hint: "start systemd-journald (journalctl --user -t sitbreakd reads them)")
        },
        DoctorCheck(name: "PATH") { facts in
            let missing = ["sitbreakctl", "sitbreakd"].filter { facts.onPath($0) == nil }
            guard missing.isEmpty else {
                let directory = facts.executableDirectory
                // A build tree (`make run`, `swift build`) is no place for PATH: it moves with each
                // configuration and build, and the units name installed binaries.
                if let directory, directory.contains("/.build") {
                    return .warn(
                        missing.joined(separator: " and ") + " not on PATH (this sitbreakctl runs from the build tree "
                            + directory + ")",
                        hint: "install them: make install (into ~/.local/bin; it says what to add to PATH if needed)")
                }
                return .warn(
                    missing.joined(separator: " and ") + " not on PATH",
                    hint: "add to ~/.profile: export PATH=\"\(directory ?? "$HOME/.local/bin"):$PATH\"")
            }
            return .ok("sitbreakctl and sitbreakd on PATH (\(facts.onPath("sitbreakctl")!))")
        },
        DoctorCheck(name: "clock") { facts in
            // Before this program was written, the clock is wrong: active hours and days mislead.
            if facts.now < 1_735_689_600 {
                return .fail("the clock says \(facts.nowText)", hint: "set the time (timedatectl set-ntp true)")
            }
            guard let zone = facts.timeZone else {
                return .warn(
                    "time zone: UTC (no TZ and no /etc/localtime)",
                    hint: "timedatectl set-timezone ZONE, or set TZ; active hours are local time")
            }
            return .ok("\(facts.nowText), time zone \(zone)")
        },
    ]
}

/// What `sitbreakctl doctor` looks at, gathered once, so each ``DoctorCheck`` is a pure judgement.
struct DoctorFacts: Sendable {
    var status: StatusResult?
    var statusError: String?
    var serviceActive: Bool
    /// Whether sitbreak-notify.service is active.
    var notifyActive = false
    /// Whether a session bus is known (DBUS_SESSION_BUS_ADDRESS, or the bus socket in XDG_RUNTIME_DIR).
    var sessionBus = false
    /// The notification server's name and version (GetServerInformation), nil when none answers.
    var notificationServer: String?
    var units: UserUnits
    var configPath: String?
    var journalSocket = "/run/systemd/journal/socket"
    var path: [String]
    var executableDirectory: String?
    var now: Int64
    var nowText: String
    var timeZone: String?

    /// The full path of `program` on PATH, or nil.
    func onPath(_ program: String) -> String? {
        path.map { $0 + "/" + program }.first { FileStatus.isExecutable($0) }
    }

    /// Asks the daemon and the system.
    static func gather(socket: String?) -> DoctorFacts {
        let environment = ProcessEnvironment.current()
        var status: StatusResult?
        var statusError: String?
        do {
            let client = try ControlClient(path: try socket ?? ControlClient.defaultPath())
            defer { client.close() }
            status = try StatusResult(json: try client.call(.status))
        } catch let error as ClientError {
            statusError = error.description
        } catch {
            statusError = "\(error)"
        }
        let zone: String? =
            if let tz = environment["TZ"], !tz.isEmpty {
                tz
            } else if let link = FileStatus.symbolicLinkTarget("/etc/localtime") {
                link.split(separator: "zoneinfo/", omittingEmptySubsequences: false).last.map(String.init)
            } else if FileStatus.exists("/etc/localtime") {
                trimmedText(of: "/etc/timezone") ?? "/etc/localtime"
            } else { nil }
        let now = Timestamp(secondsSinceEpoch: Int64(time(nil)))
        return DoctorFacts(
            status: status, statusError: statusError, serviceActive: serviceIsActive("sitbreakd.service"),
            notifyActive: serviceIsActive("sitbreak-notify.service"), sessionBus: hasSessionBus(environment),
            notificationServer: notificationServer(),
            units: UserUnits(environment: environment),
            configPath: ConfigLoader.defaultPath(environment: ProcessEnvironment.current()),
            path: (environment["PATH"] ?? "").split(separator: ":").map(String.init),
            executableDirectory: executableDirectory(),
            now: now.secondsSinceEpoch, nowText: LocalClock().dateTimeText(now), timeZone: zone)
    }

    /// `systemctl --user is-active --quiet UNIT`; false when there is no user manager.
    private static func serviceIsActive(_ unit: String) -> Bool {
        run(["/usr/bin/systemctl", "/bin/systemctl"], ["--user", "is-active", "--quiet", unit])?.status == 0
    }

    /// Whether a session bus can be found the way sd-bus finds one.
    private static func hasSessionBus(_ environment: [String: String]) -> Bool {
        if let address = environment["DBUS_SESSION_BUS_ADDRESS"], !address.isEmpty { return true }
        guard let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty else { return false }
        return FileStatus.exists(runtime + "/bus")
    }

    /// `NAME VERSION` of the server that owns org.freedesktop.Notifications, asked with busctl
    /// (which, like sitbreak-notify, lets the bus start an activatable server).
    private static func notificationServer() -> String? {
        guard
            let reply = run(
                ["/usr/bin/busctl", "/bin/busctl"],
                [
                    "--user", "--timeout=2", "call", "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                    "org.freedesktop.Notifications", "GetServerInformation",
                ]), reply.status == 0
        else { return nil }
        // busctl prints `ssss "dunst" "knopwob" "1.9.0" "1.2"`.
        let fields = reply.output.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        guard fields.count >= 3 else { return nil }
        return "\(fields[0]) \(fields[2])"
    }

    /// Runs the first of `candidates` that exists with `arguments`; its exit status and output.
    private static func run(_ candidates: [String], _ arguments: [String]) -> ProgramRun? {
        guard let program = candidates.first(where: FileStatus.isExecutable) else { return nil }
        return ProgramRun.run(program, arguments)
    }

    /// The directory of this executable (`/proc/self/exe`), where `make install` put sitbreakd too.
    private static func executableDirectory() -> String? {
        guard let executable = FileStatus.symbolicLinkTarget("/proc/self/exe"),
            let slash = executable.lastIndex(of: "/")
        else { return nil }
        return slash == executable.startIndex ? "/" : String(executable[..<slash])
    }

    /// The text of a small file (its first 4 KiB) without surrounding white space
    /// (`/etc/timezone`); nil when it cannot be read.
    private static func trimmedText(of path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        return String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
