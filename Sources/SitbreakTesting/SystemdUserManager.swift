import Foundation

/// A real `systemd --user` for one test (docs/testing.md §2.9), in a container whose PID 1 is not
/// systemd: its own cgroups, a private `XDG_RUNTIME_DIR` and a fresh `HOME`, both outside `/tmp`
/// (the units' `PrivateTmp=` would hide anything there), so nothing of the machine's own user
/// session, nor another test's, is touched.
///
/// `/run/systemd/system` (which makes the manager believe the machine booted with systemd) exists
/// only from the manager's start until its private socket answers, and only if this fixture made
/// it: every other tool on the machine, other tests' among them, would believe it too.
public final class SystemdUserManager: @unchecked Sendable {
    // Owned by one test; the Process is only touched from that test's task.
    /// The scratch root (`/var/lib/sitbreak-usermgr-…`), removed by ``stop()``.
    public let root: String
    /// `$HOME` of the manager and its services.
    public let home: String
    /// `$XDG_RUNTIME_DIR` of the manager (`%t` in units), mode 0700.
    public let runtimeDirectory: String
    private let process: Process
    private let cgroups: [String]
    private let logPath: String
    /// `SYSTEMD_UNIT_PATH` for the manager and its clients: `systemctl` computes the unit search
    /// path itself (for `enable`, `list-unit-files`), so both must be given it.
    private let unitSearchPath: String?
    private var stopped = false

    /// The manager's executable.
    public static let executable = "/lib/systemd/systemd"
    /// Where the fake boot marker goes.
    static let bootMarker = "/run/systemd/system"

    /// Creates the directories and cgroups and starts `systemd --user`; waits (up to `timeout`
    /// seconds) until `systemctl --user` reaches it. Fails with the manager's log otherwise, and
    /// leaves nothing behind.
    ///
    /// `unitPath`: a directory searched for units before the usual ones (a package installed into
    /// a private root, say).
    public init(timeout: Double = 60, unitPath: String? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw ExternalCommand.Failure(
                description: "\(Self.executable) is missing: install it with `apt-get install -y systemd`")
        }
        guard geteuid() == 0 else {
            throw ExternalCommand.Failure(description: "a user manager with cgroups of its own needs root")
        }
        // Short: the sockets under it (systemd/private, sitbreak/control.sock) must fit sun_path.
        let tag = String(UUID().uuidString.prefix(8)).lowercased()
        root = "/var/lib/sitbreak-usermgr-" + tag
        // The trailing colon keeps the built-in search path after it.
        unitSearchPath = unitPath.map { $0 + ":" }
        home = root + "/home"
        runtimeDirectory = root + "/run"
        logPath = root + "/manager.log"
        for directory in [root, home, runtimeDirectory] {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        var made: [String] = []
        var markerMade = false
        do {
            made = try Self.makeCgroups(named: "sitbreak-usermgr-" + tag)
        } catch {
            Self.removeCgroups(made)
            try? FileManager.default.removeItem(atPath: root)
            throw error
        }
        cgroups = made
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        // A test thread's blocked signals would be inherited, SIGTERM among them: unblock them.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Not exec: systemd closes every inherited descriptor at start, among them the one
        // Foundation's Process watches to learn that its child ended; it would then block in
        // waitpid() for the manager, and no other Process of the test binary would be reaped. The
        // shell keeps it open and passes SIGTERM on.
        let script =
            #"for group in "$@"; do echo $$ > "$group/cgroup.procs" || exit 1; done; "#
            + #"trap 'kill -TERM $manager' TERM; "# + Self.executable
            + #" --user </dev/null & manager=$!; wait $manager; wait $manager"#
        process.arguments =
            [
                "--default-signal", "-i", "PATH=/usr/bin:/bin", "HOME=" + home, "XDG_RUNTIME_DIR=" + runtimeDirectory,
                "TZ=UTC", "LANG=C.UTF-8",
            ] + (unitSearchPath.map { ["SYSTEMD_UNIT_PATH=" + $0] } ?? []) + ["/bin/sh", "-c", script, "sh"] + made
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardInput = FileHandle.nullDevice
        do {
            if !FileManager.default.fileExists(atPath: Self.bootMarker) {
                try FileManager.default.createDirectory(atPath: Self.bootMarker, withIntermediateDirectories: true)
                markerMade = true
            }
            defer { if markerMade { try? FileManager.default.removeItem(atPath: Self.bootMarker) } }
            try process.run()
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                if FileManager.default.fileExists(atPath: runtimeDirectory + "/systemd/private"),
                    let state = try? systemctl(["is-system-running"]),
                    ["running", "degraded", "starting"].contains(
                        state.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
                {
                    break
                }
                guard process.isRunning, Date() < deadline else {
                    throw ExternalCommand.Failure(
                        description: "systemd --user did not come up within \(timeout) s: \(log)")
                }
                usleep(50_000)
            }
        } catch {
            let failure = error
            stop()
            throw failure
        }
    }

    deinit {
        stop()
    }

    /// What the manager printed (it logs to stderr without journald).
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The environment for a client of this manager: `systemctl --user`, `sitbreakctl`, `make`.
    public var environment: [String: String] {
        var environment = [
            "HOME": home, "XDG_RUNTIME_DIR": runtimeDirectory, "XDG_CONFIG_HOME": home + "/.config",
            "XDG_STATE_HOME": home + "/.local/state", "SYSTEMD_PAGER": "", "SYSTEMD_COLORS": "0", "TZ": "UTC",
        ]
        if let unitSearchPath { environment["SYSTEMD_UNIT_PATH"] = unitSearchPath }
        return environment
    }

    /// `systemctl --user ARGUMENTS…` against this manager.
    public func systemctl(_ arguments: [String], timeout: Double = 60) throws -> ExternalCommand.Result {
        try ExternalCommand.run(
            "/usr/bin/systemctl", ["--user", "--no-pager"] + arguments, environment: environment, package: "systemd",
            timeout: timeout)
    }

    /// `systemctl --user show -p PROPERTY --value UNIT`, trimmed.
    public func property(_ unit: String, _ name: String) throws -> String {
        try systemctl(["show", "-p", name, "--value", unit]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The main pid of `unit`, or nil while it has none.
    public func mainPID(_ unit: String) throws -> pid_t? {
        guard let pid = pid_t(try property(unit, "MainPID")), pid > 0 else { return nil }
        return pid
    }

    /// Writes a drop-in `$XDG_RUNTIME_DIR/systemd/user/UNIT.d/NAME.conf` (read at the next
    /// `daemon-reload`).
    public func dropIn(_ unit: String, name: String, _ contents: String) throws {
        let directory = runtimeDirectory + "/systemd/user/" + unit + ".d"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try contents.write(toFile: directory + "/" + name + ".conf", atomically: false, encoding: .utf8)
    }

    /// What a hardened unit needs in this container (docs/testing.md §2.9): the options that hide
    /// `/run` or fail with 226/NAMESPACE where `/run` is no mount point.
    public static let containerDropIn = """
        [Service]
        ProtectKernelTunables=no
        ProtectControlGroups=no
        ProtectProc=default
        ProcSubset=all
        ProtectKernelLogs=no
        ProtectKernelModules=no
        """

    /// Stops the manager with SIGTERM (it stops its units), kills what is left in its cgroups,
    /// removes them deepest first, and removes the scratch root.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        Self.removeCgroups(cgroups)
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: - Cgroups

    /// For each hierarchy this process is in, a child cgroup `name` of its current one; their paths.
    static func makeCgroups(named name: String) throws -> [String] {
        let own = try String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)
        var made: [String] = []
        for line in own.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let controllers = String(fields[1])
            let hierarchy: String
            if controllers.isEmpty {
                hierarchy =
                    FileManager.default.fileExists(atPath: "/sys/fs/cgroup/unified")
                    ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup"
            } else if controllers.hasPrefix("name=") {
                hierarchy = "/sys/fs/cgroup/" + controllers.dropFirst("name=".count)
            } else {
                hierarchy = "/sys/fs/cgroup/" + controllers
            }
            let parent = hierarchy + (fields[2] == "/" ? "" : String(fields[2]))
            guard FileManager.default.fileExists(atPath: parent + "/cgroup.procs") else { continue }
            let directory = parent + "/" + name
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            } catch {
                removeCgroups(made)
                throw ExternalCommand.Failure(description: "cannot create the cgroup \(directory): \(error)")
            }
            made.append(directory)
            if controllers.split(separator: ",").contains("cpuset") {
                for file in ["cpuset.cpus", "cpuset.mems"] {
                    let value = (try? String(contentsOfFile: parent + "/" + file, encoding: .utf8)) ?? ""
                    try? value.write(toFile: directory + "/" + file, atomically: false, encoding: .utf8)
                }
            }
        }
        guard !made.isEmpty else {
            throw ExternalCommand.Failure(description: "no cgroup hierarchy under /sys/fs/cgroup to give the manager")
        }
        return made
    }

    /// Kills every process left in `groups` (and their children) and removes them deepest first.
    static func removeCgroups(_ groups: [String]) {
        for attempt in 0..<100 {
            var remaining = false
            for group in groups {
                let children =
                    (FileManager.default.enumerator(atPath: group)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.hasSuffix("/cgroup.procs") || $0 == "cgroup.procs" }
                    .map { group + "/" + $0.dropLast("/cgroup.procs".count) }
                    .map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
                // Deepest first: a cgroup with children cannot be removed.
                for directory in children.sorted(by: { $0.count > $1.count }) {
                    let procs = (try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)) ?? ""
                    for pid in procs.split(separator: "\n").compactMap({ pid_t($0) }) { kill(pid, SIGKILL) }
                    if rmdir(directory) != 0, FileManager.default.fileExists(atPath: directory) { remaining = true }
                }
            }
            if !remaining { return }
            if attempt < 99 { usleep(50_000) }
        }
    }
}
