import Foundation
import Testing

/// A real part from outside the package that some test suites need (docs/testing.md §2): an X
/// server, a headless sway, a private D-Bus with python3-dbusmock, journald in a mount namespace,
/// systemd's own tools. The availability checks live here, in one place, so that a plain
/// `swift test` on a machine without them skips those suites and says why (docs/testing.md §3),
/// while `make test` sets `SITBREAK_REQUIRE_FIXTURES=1` and every suite runs: a fixture that is
/// missing there fails the suite with its own reason instead of being skipped.
public struct Fixture: Sendable {
    /// A short name for messages: `Xvfb`, `headless sway`.
    public let name: String
    /// Why it is missing on this machine (naming the file and the Debian package that provides
    /// it), or nil when everything it needs is here.
    public let missing: String?

    /// Whether the suites that need this fixture run: it is here, or fixtures are required.
    public var isAvailable: Bool { Self.required || missing == nil }

    /// `SITBREAK_REQUIRE_FIXTURES=1` (what `make test`, and so CI, sets): every fixture counts
    /// as available, so no suite is skipped and a missing part fails loudly.
    public static let required: Bool = ProcessInfo.processInfo.environment["SITBREAK_REQUIRE_FIXTURES"] == "1"

    /// A fixture made of executables at fixed paths (the fixtures run them by absolute path, so
    /// PATH does not matter) plus further checks, each returning why it fails or nil.
    init(_ name: String, executables: [(path: String, package: String)], checks: [() -> String?] = []) {
        self.name = name
        let absent = executables.filter { !FileManager.default.isExecutableFile(atPath: $0.path) }
        var reasons = absent.map { "\($0.path) is missing (apt-get install -y \($0.package))" }
        reasons += checks.compactMap { $0() }
        missing = reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    // MARK: - The fixtures

    /// `Xvfb -noreset` and `xdotool` (``XvfbServer``), with libXss for the x11 idle source.
    public static let xvfb = Fixture(
        "Xvfb", executables: [("/usr/bin/Xvfb", "xvfb"), ("/usr/bin/xdotool", "xdotool")],
        checks: [{ library("libXss.so.1", package: "libxss1") }])

    /// A headless `sway` with `swaymsg` and `swayidle`, run as a test user through `setpriv`
    /// (``HeadlessSway``, ``TestUser``).
    public static let sway = Fixture(
        "headless sway",
        executables: [
            ("/usr/bin/sway", "sway"), ("/usr/bin/swaymsg", "sway"), ("/usr/bin/swayidle", "swayidle"),
            ("/usr/bin/setpriv", "util-linux"), ("/usr/sbin/useradd", "passwd"),
        ])

    /// A private `dbus-daemon` with python3-dbusmock services on it (``PrivateBus``, ``DBusMock``).
    public static let dbusmock = Fixture(
        "a private D-Bus with python3-dbusmock",
        executables: [
            ("/usr/bin/dbus-daemon", "dbus"), ("/usr/bin/busctl", "systemd"), ("/usr/bin/python3", "python3"),
        ],
        checks: [{ pythonModule("dbusmock", package: "python3-dbusmock") }])

    /// `systemd-journald` of its own in a private mount namespace (``PrivateJournal``): root, for
    /// `unshare -m`.
    public static let journald = Fixture(
        "journald in a private mount namespace",
        executables: [
            ("/usr/bin/unshare", "util-linux"), ("/usr/bin/nsenter", "util-linux"),
            ("/lib/systemd/systemd-journald", "systemd"), ("/usr/bin/journalctl", "systemd"),
        ],
        checks: [{ root("a mount namespace") }])

    /// systemd's own tools, run as a person would: `systemd-analyze` (unit verification and
    /// security), `systemd-socket-activate`, `journalctl` (the catalog).
    public static let systemdTools = Fixture(
        "systemd's tools",
        executables: [
            ("/usr/bin/systemd-analyze", "systemd"), ("/usr/bin/systemd-socket-activate", "systemd"),
            ("/usr/bin/journalctl", "systemd"),
        ])

    /// Another user to connect as (`setpriv` to uid 65534): root, for changing uid.
    public static let otherUser = Fixture(
        "another user (setpriv)", executables: [("/usr/bin/setpriv", "util-linux"), ("/usr/bin/python3", "python3")],
        checks: [{ root("changing to another uid") }])

    /// A real `systemd --user` with cgroups of its own (``SystemdUserManager``): root, for the
    /// cgroups and the boot marker.
    public static let userManager = Fixture(
        "a systemd user manager",
        executables: [
            ("/lib/systemd/systemd", "systemd"), ("/usr/bin/systemctl", "systemd"), ("/usr/bin/env", "coreutils"),
        ],
        checks: [{ root("cgroups of its own") }])

    /// `make`, for the tests of `make install`.
    public static let make = Fixture("make", executables: [("/usr/bin/make", "make")])

    /// Debian's packaging tools, for `make deb`: dpkg-deb, dpkg-shlibdeps, lintian; dpkg for
    /// installing into a private root.
    public static let dpkg = Fixture(
        "dpkg and lintian",
        executables: [
            ("/usr/bin/dpkg-deb", "dpkg"), ("/usr/bin/dpkg-shlibdeps", "dpkg-dev"), ("/usr/bin/lintian", "lintian"),
            ("/usr/bin/dpkg", "dpkg"),
        ])

    // MARK: - Checks

    private static func root(_ purpose: String) -> String? {
        geteuid() == 0 ? nil : "\(purpose) needs root (running as uid \(geteuid()))"
    }

    private static func library(_ file: String, package: String) -> String? {
        let directories = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
        if directories.contains(where: { FileManager.default.fileExists(atPath: $0 + "/" + file) }) { return nil }
        return "\(file) is missing (apt-get install -y \(package))"
    }

    private static func pythonModule(_ module: String, package: String) -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return nil }  // said above
        let result = try? ExternalCommand.run("/usr/bin/python3", ["-c", "import " + module], timeout: 30)
        return result?.status == 0 ? nil : "python3 cannot import \(module) (apt-get install -y \(package))"
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the suite or test only where `fixtures` are all here (or `SITBREAK_REQUIRE_FIXTURES=1`
    /// requires them); otherwise it is skipped, and the skip names what is missing.
    public static func needs(_ fixtures: Fixture..., sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        let absent = fixtures.filter { $0.missing != nil }
        let reason = absent.map { "needs \($0.name): \($0.missing!)" }.joined(separator: "; ")
        return .enabled(
            if: Fixture.required || absent.isEmpty,
            Comment(rawValue: reason + " (make deps installs it; SITBREAK_REQUIRE_FIXTURES=1 runs the suite anyway)"),
            sourceLocation: sourceLocation)
    }
}

extension Tag {
    /// Needs a real part from outside the package (any of the tags below); see ``Fixture``.
    @Tag public static var fixture: Self
    /// Needs ``Fixture/xvfb``.
    @Tag public static var xvfb: Self
    /// Needs ``Fixture/sway``.
    @Tag public static var sway: Self
    /// Needs ``Fixture/dbusmock``.
    @Tag public static var dbusmock: Self
    /// Needs ``Fixture/journald``.
    @Tag public static var journald: Self
    /// Needs ``Fixture/systemdTools``.
    @Tag public static var systemdTools: Self
    /// Needs ``Fixture/otherUser``.
    @Tag public static var otherUser: Self
    /// Needs ``Fixture/userManager``.
    @Tag public static var userManager: Self
    /// Needs ``Fixture/make``.
    @Tag public static var make: Self
    /// Needs ``Fixture/dpkg``.
    @Tag public static var dpkg: Self
}
