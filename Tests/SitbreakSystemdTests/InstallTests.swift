import Foundation
import SitbreakTesting
import Testing

/// `make ARGUMENTS` in the repository, installing the already built debug binaries.
func make(_ arguments: [String], environment: [String: String] = [:]) throws -> ExternalCommand.Result {
    try ExternalCommand.run(
        "/usr/bin/make", ["--no-print-directory", "-C", repositoryRoot] + arguments, environment: environment,
        package: "make", timeout: 300)
}

@Suite("make install", .tags(.fixture, .make), .needs(.make))
struct InstallTests {
    @Test("system-wide layout into a real prefix: binaries, units with the installed path, catalog, completions, docs")
    func systemWide() throws {
        let products = try builtProductsDirectory()
        let scratch = try TemporaryDirectory(prefix: "sitbreak-install")
        defer { scratch.remove() }
        let prefix = scratch.path + "/prefix"
        let runtime = try privateDirectory(in: scratch, "runtime")
        let common = ["PREFIX=" + prefix, "BINDIR_SOURCE=" + products, "SYSTEMCTL=/bin/true"]
        let environment = ["XDG_RUNTIME_DIR": runtime, "PATH": "/usr/bin:/bin"]
        let install = try make(["install"] + common, environment: environment)
        try #require(install.status == 0, "\(install.output)")
        // Stumble 1: `sitbreakctl: command not found` after an install nothing warned about.
        #expect(install.stdout.contains("WARNING: \(prefix)/bin is not on your PATH"), "\(install.output)")
        #expect(install.stdout.contains("  export PATH=\"\(prefix)/bin:$PATH\"\n"), "\(install.output)")
        #expect(
            install.stdout.contains(
                "systemctl --user daemon-reload && systemctl --user enable --now sitbreakd.socket sitbreakd.service"))

        let files = [
            "bin/sitbreakd", "bin/sitbreakctl", "bin/sitbreak-notify", "lib/systemd/user/sitbreakd.service",
            "lib/systemd/user/sitbreakd.socket", "lib/systemd/user/sitbreak-notify.service",
            "share/applications/sitbreak.desktop", "share/icons/hicolor/scalable/apps/sitbreak.svg",
            "lib/systemd/catalog/sitbreak.catalog", "share/bash-completion/completions/sitbreakctl",
            "share/zsh/site-functions/_sitbreakctl", "share/fish/vendor_completions.d/sitbreakctl.fish",
            "share/doc/sitbreak/sitbreak.toml", "share/doc/sitbreak/README.md", "share/man/man1/sitbreakctl.1",
            "share/man/man1/sitbreakd.1", "share/man/man1/sitbreak-notify.1", "share/man/man5/sitbreak.toml.5",
        ]
        for file in files {
            #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file) not installed")
        }
        #expect(FileManager.default.isExecutableFile(atPath: prefix + "/bin/sitbreakd"))
        let service = try String(contentsOfFile: prefix + "/lib/systemd/user/sitbreakd.service", encoding: .utf8)
        #expect(settings(service).filter { $0.key == "ExecStart" }.map(\.value) == [prefix + "/bin/sitbreakd"])
        let notifyService = try String(
            contentsOfFile: prefix + "/lib/systemd/user/sitbreak-notify.service", encoding: .utf8)
        #expect(
            settings(notifyService).filter { $0.key == "ExecStart" }.map(\.value) == [prefix + "/bin/sitbreak-notify"])
        let desktop = try String(contentsOfFile: prefix + "/share/applications/sitbreak.desktop", encoding: .utf8)
        #expect(desktop.contains("\nExec=\(prefix)/bin/sitbreak-notify\n"))
        #expect(desktop.contains("\nIcon=sitbreak\n"))
        for shell in ["share/bash-completion/completions/sitbreakctl", "share/zsh/site-functions/_sitbreakctl"] {
            let script = try String(contentsOfFile: prefix + "/" + shell, encoding: .utf8)
            #expect(script.contains("simulate"), "\(shell) does not complete subcommands")
        }
        #expect(
            try String(contentsOfFile: prefix + "/share/doc/sitbreak/sitbreak.toml", encoding: .utf8)
                == repositoryFile("config/sitbreak.toml"))

        // Stumble 8: the binaries are installed stripped (no symbol table left).
        for binary in ["sitbreakd", "sitbreakctl"] {
            let sections = try ExternalCommand.run(
                "/usr/bin/readelf", ["-S", prefix + "/bin/" + binary], package: "binutils")
            #expect(sections.status == 0 && !sections.stdout.contains(".symtab"), "\(binary) is not stripped")
        }
        // `man` finds the pages through the prefix's PATH entry (manpath(1) maps DIR/bin to DIR/share/man).
        let manual = try ExternalCommand.run(
            "/usr/bin/man", ["-w", "sitbreakctl"], environment: ["PATH": prefix + "/bin:/usr/bin:/bin", "MANPATH": ""],
            package: "man-db")
        #expect(manual.stdout == prefix + "/share/man/man1/sitbreakctl.1\n", "\(manual.output)")

        // The installed units are valid as installed (their ExecStart exists now).
        let verify = try systemdAnalyze(
            [
                "--user", "verify", "--man=no", prefix + "/lib/systemd/user/sitbreakd.service",
                prefix + "/lib/systemd/user/sitbreakd.socket", prefix + "/lib/systemd/user/sitbreak-notify.service",
            ], runtimeDirectory: runtime)
        #expect(verify.output.isEmpty, "\(verify.output)")

        // A socket the daemon left behind in the live runtime directory.
        try FileManager.default.createDirectory(atPath: runtime + "/sitbreak", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: runtime + "/sitbreak/control.sock", contents: nil)
        let uninstall = try make(["uninstall"] + common, environment: environment)
        #expect(uninstall.status == 0, "\(uninstall.output)")
        // Stumble 7: the user manager is reloaded, and nothing is left: no file, no empty directory.
        #expect(uninstall.stdout.contains("/bin/true --user daemon-reload"), "\(uninstall.output)")
        let left = FileManager.default.enumerator(atPath: prefix)?.compactMap { $0 as? String }
        #expect(left == [], "uninstall left files or directories behind")
        #expect(!FileManager.default.fileExists(atPath: runtime + "/sitbreak"), "the stale socket is left")
    }

    @Test("user layout under ~/.local with DESTDIR: units in ~/.config/systemd/user, no system catalog")
    func userLayout() throws {
        let products = try builtProductsDirectory()
        let scratch = try TemporaryDirectory(prefix: "sitbreak-install-user")
        defer { scratch.remove() }
        let home = scratch.path + "/home"
        let stage = scratch.path + "/stage"
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/.config"]
        let install = try make(
            ["install", "DESTDIR=" + stage, "BINDIR_SOURCE=" + products, "SYSTEMCTL=/bin/true"],
            environment: environment)
        try #require(install.status == 0, "\(install.output)")
        let staged = stage + home
        for file in [
            ".local/bin/sitbreakd", ".local/bin/sitbreakctl", ".config/systemd/user/sitbreakd.service",
            ".config/systemd/user/sitbreakd.socket", ".local/share/doc/sitbreak/sitbreak.catalog",
            ".local/share/bash-completion/completions/sitbreakctl",
        ] {
            #expect(FileManager.default.fileExists(atPath: staged + "/" + file), "\(file) not installed")
        }
        #expect(!FileManager.default.fileExists(atPath: staged + "/.local/lib/systemd/catalog"))
        let service = try String(contentsOfFile: staged + "/.config/systemd/user/sitbreakd.service", encoding: .utf8)
        // DESTDIR stages the files; the unit names the final path.
        #expect(settings(service).filter { $0.key == "ExecStart" }.map(\.value) == [home + "/.local/bin/sitbreakd"])
        #expect(!FileManager.default.fileExists(atPath: home), "something was installed outside DESTDIR")
        // A staged install is not the live system: no PATH advice.
        #expect(!install.stdout.contains("WARNING"))

        let uninstall = try make(
            ["uninstall", "DESTDIR=" + stage, "SYSTEMCTL=/bin/false"], environment: environment)
        #expect(uninstall.status == 0, "\(uninstall.output)")
        // Left: only the directories leading to ~/.local and ~/.config, which it does not remove.
        let left = FileManager.default.enumerator(atPath: stage)?.compactMap { $0 as? String } ?? []
        let kept = left.filter { path in
            ![staged + "/.local", staged + "/.config"].contains { $0.hasPrefix(stage + "/" + path) }
        }
        #expect(kept == [], "uninstall left \(kept)")
    }

    @Test("an install whose BINDIR is on PATH gives no PATH advice")
    func bindirOnPath() throws {
        let products = try builtProductsDirectory()
        let scratch = try TemporaryDirectory(prefix: "sitbreak-install-path")
        defer { scratch.remove() }
        let prefix = scratch.path + "/prefix"
        let install = try make(
            ["install", "PREFIX=" + prefix, "BINDIR_SOURCE=" + products, "SYSTEMCTL=/bin/true"],
            environment: ["PATH": "/usr/bin:\(prefix)/bin:/bin"])
        try #require(install.status == 0, "\(install.output)")
        #expect(!install.stdout.contains("PATH"), "\(install.output)")
    }
}
