import Foundation
import SitbreakTesting
import Testing

/// `make run` and `make ctl`, and the package check behind them, as a new user meets them.
@Suite("make run", .tags(.fixture, .make), .needs(.make))
struct MakeRunTests {
    @Test("make run uses a private state and runtime directory; the try-out commands it prints work as written")
    func privateDirectoriesAndTryOut() throws {
        let products = try builtProductsDirectory()
        let scratch = try TemporaryDirectory(prefix: "sitbreak-make-run")
        defer { scratch.remove() }
        let home = scratch.path + "/home"
        let runDirectory = scratch.path + "/run"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let common = ["BINDIR_SOURCE=" + products, "RUN_DIR=" + runDirectory]

        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/make")
        make.arguments = ["--no-print-directory", "-C", repositoryRoot, "run"] + common
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["XDG_STATE_HOME"] = nil
        environment["XDG_RUNTIME_DIR"] = nil
        make.environment = environment
        let output = Pipe()
        make.standardOutput = output
        make.standardError = FileHandle.nullDevice
        try make.run()
        defer {
            // make runs the daemon as its child (the recipe's shell execs it): stop that child.
            let children =
                (try? String(
                    contentsOfFile: "/proc/\(make.processIdentifier)/task/\(make.processIdentifier)/children",
                    encoding: .utf8)) ?? ""
            for pid in children.split(separator: " ").compactMap({ Int32($0) }) { kill(pid, SIGTERM) }
            make.waitUntilExit()
        }

        let socket = runDirectory + "/runtime/sitbreak/control.sock"
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline, make.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        try #require(FileManager.default.fileExists(atPath: socket), "make run did not create \(socket)")

        let ctl = try ExternalCommand.run(
            "/usr/bin/make", ["--no-print-directory", "-C", repositoryRoot, "ctl", "ARGS=status"] + common,
            environment: ["HOME": home], package: "make", timeout: 60)
        #expect(ctl.status == 0, "\(ctl.output)")
        #expect(ctl.stdout.contains("reminders: on"), "\(ctl.output)")

        // The full command it prints, run as written by a shell in the checkout.
        let banner = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let printed = try #require(
            banner.split(separator: "\n").first { $0.contains("which runs:") }.map {
                String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
            }, "no command in: \(banner)")
        let shell = try ExternalCommand.run("/bin/sh", ["-c", "cd \(repositoryRoot) && " + printed], timeout: 60)
        #expect(shell.status == 0, "\(printed): \(shell.output)")
        #expect(shell.stdout.contains("reminders: on"))

        #expect(FileManager.default.fileExists(atPath: runDirectory + "/state/sitbreak"), "no private state directory")
        #expect(
            !FileManager.default.fileExists(atPath: home + "/.local/state/sitbreak"), "make run used ~/.local/state")
    }

    @Test("without root, a missing package stops with the exact sudo apt-get install line", .needs(.otherUser))
    func missingPackageWithoutRoot() throws {
        let result = try ExternalCommand.run(
            "/usr/bin/setpriv",
            [
                "--reuid", "65534", "--regid", "65534", "--clear-groups", "/usr/bin/make", "--no-print-directory",
                "-C", repositoryRoot, "deps-run", "RUN_PACKAGES=tzdata sitbreak-no-such-package",
            ], package: "util-linux", timeout: 60)
        #expect(result.status != 0)
        #expect(result.stdout.contains("\n  sudo apt-get install sitbreak-no-such-package\n"), "\(result.output)")
    }

    @Test("without root, running needs nothing more when its packages are there", .needs(.otherUser))
    func presentPackagesWithoutRoot() throws {
        let result = try ExternalCommand.run(
            "/usr/bin/setpriv",
            [
                "--reuid", "65534", "--regid", "65534", "--clear-groups", "/usr/bin/make", "--no-print-directory",
                "-C", repositoryRoot, "deps-run",
            ], package: "util-linux", timeout: 60)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.isEmpty, "\(result.output)")
    }

    @Test("make run needs only the running packages: none of the test fixtures")
    func runPackagesAreFew() throws {
        let listed = try make(["-p", "-n", "deps-run"]).stdout.split(separator: "\n").first {
            $0.hasPrefix("RUN_PACKAGES = ")
        }
        #expect(listed == "RUN_PACKAGES = libsystemd-dev libsqlite3-dev pkg-config tzdata")
    }
}
