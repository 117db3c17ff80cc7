import SitbreakSystem

/// Where the user manager finds unit files (systemd.unit(5), "User Unit Search Path"), checked by
/// file, without asking systemd: cheap enough for an error hint, and right even when no user
/// manager runs.
struct UserUnits {
    /// The process environment (`HOME`, `XDG_CONFIG_HOME`, `XDG_RUNTIME_DIR`, `XDG_DATA_HOME`).
    var environment: [String: String] = ProcessEnvironment.current()

    /// The search path, most specific first.
    var searchPath: [String] {
        let home = environment["HOME"] ?? ""
        let config = nonEmpty(environment["XDG_CONFIG_HOME"]) ?? home + "/.config"
        let data = nonEmpty(environment["XDG_DATA_HOME"]) ?? home + "/.local/share"
        var path = [config + "/systemd/user", "/etc/systemd/user"]
        if let runtime = nonEmpty(environment["XDG_RUNTIME_DIR"]) { path.append(runtime + "/systemd/user") }
        path += [data + "/systemd/user", "/usr/local/lib/systemd/user", "/usr/lib/systemd/user", "/lib/systemd/user"]
        return path
    }

    /// The file defining `unit`, or nil when no directory of the search path has one.
    func file(of unit: String) -> String? {
        searchPath.map { $0 + "/" + unit }.first { FileStatus.exists($0) }
    }

    /// Whether `unit` is enabled for the user: a link to it in a `*.wants` directory of
    /// `~/.config/systemd/user` (where `systemctl --user enable` puts it) or `/etc/systemd/user`
    /// (`systemctl --global enable`).
    func isEnabled(_ unit: String) -> Bool {
        let roots = [searchPath[0], "/etc/systemd/user"]
        return roots.contains { root in
            FileStatus.entries(ofDirectory: root).filter { $0.hasSuffix(".wants") }.contains {
                FileStatus.exists(root + "/" + $0 + "/" + unit)
            }
        }
    }

    /// What to do when the daemon is not reachable: start the socket unit when it is installed,
    /// otherwise install it (or run the daemon by hand). Not installed is also where someone
    /// trying a checkout stands, whose `make run` daemon listens on a socket of its own.
    var startHint: String {
        if file(of: "sitbreakd.socket") != nil {
            return "start it with: systemctl --user start sitbreakd.socket"
        }
        return "sitbreakd is not installed as a user service here (no sitbreakd.socket in "
            + "~/.config/systemd/user or /usr/lib/systemd/user); install it (make install, or the "
            + "Debian package) or run sitbreakd yourself (the daemon of make run answers make ctl "
            + "ARGS=… in its checkout)"
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
