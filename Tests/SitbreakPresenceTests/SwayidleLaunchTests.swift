import Glibc
import Testing

@testable import SitbreakPresence

/// The command line, environment and compositor socket of the swayidle source, decided from the
/// daemon's environment with an injected file system.
struct SwayidleLaunchTests {
    static let second: Int64 = 1_000_000_000

    func launch(
        _ environment: [String: String], threshold: Int64 = 120 * second, installed: Set<String> = ["/usr/bin/swayidle"]
    ) throws(PresenceUnavailable) -> SwayidleLaunch {
        try SwayidleLaunch.make(
            environment: environment, thresholdNanoseconds: threshold, isExecutable: { installed.contains($0) })
    }

    @Test func aDisplayNameIsInTheRuntimeDirectory() throws {
        let launch = try launch(["WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": "/run/user/1000", "PATH": "/bin"])
        #expect(launch.socketPath == "/run/user/1000/wayland-1")
        #expect(launch.executable == "/usr/bin/swayidle")
        #expect(
            launch.arguments == [
                "/usr/bin/swayidle", "-C", "/dev/null", "-w", "timeout", "120", "echo idle", "resume", "echo active",
            ])
        #expect(
            launch.environment == [
                "PATH=/bin", "WAYLAND_DISPLAY=wayland-1",
                "DBUS_SYSTEM_BUS_ADDRESS=" + SwayidleLaunch.unreachableSystemBus,
                "XDG_RUNTIME_DIR=/run/user/1000",
            ])
    }

    @Test func theFirstInputProbeIsTheSameSwayidleWithAOneSecondTimeout() throws {
        let launch = try launch(["WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": "/run/user/1000"])
        let probe = launch.firstInputProbe
        #expect(probe.timeoutSeconds == 1)
        #expect(
            probe.arguments == [
                "/usr/bin/swayidle", "-C", "/dev/null", "-w", "timeout", "1", "echo idle", "resume", "echo active",
            ])
        #expect(probe.environment == launch.environment)
        #expect(probe.socketPath == launch.socketPath)
    }

    @Test func anAbsoluteDisplayNeedsNoRuntimeDirectory() throws {
        let launch = try launch(["WAYLAND_DISPLAY": "/tmp/x/wayland-3"])
        #expect(launch.socketPath == "/tmp/x/wayland-3")
        #expect(launch.environment.contains("PATH=/usr/bin:/bin"))
        #expect(!launch.environment.contains { $0.hasPrefix("XDG_RUNTIME_DIR=") })
    }

    static let roundings: [(Int64, Int)] = [
        (1, 1), (second, 1), (second + 1, 2), (2 * second + second / 2, 3), (120 * second, 120), (0, 1),
        (Int64.max / 2, SwayidleLaunch.maximumTimeoutSeconds),
    ]

    @Test(arguments: roundings)
    func theThresholdIsRoundedUpToWholeSeconds(threshold: Int64, seconds: Int) throws {
        #expect(try launch(["WAYLAND_DISPLAY": "/w"], threshold: threshold).timeoutSeconds == seconds)
    }

    @Test func swayidleIsFoundInPathFirst() throws {
        let launch = try launch(
            ["WAYLAND_DISPLAY": "/w", "PATH": "/opt/a:/opt/b"],
            installed: ["/opt/b/swayidle", "/usr/bin/swayidle"])
        #expect(launch.executable == "/opt/b/swayidle")
        #expect(launch.arguments.first == "/opt/b/swayidle")
    }

    static let notWayland: [([String: String], String)] = [
        ([:], "WAYLAND_DISPLAY is not set (not a Wayland session)"),
        (["WAYLAND_DISPLAY": ""], "WAYLAND_DISPLAY is not set (not a Wayland session)"),
        (
            ["WAYLAND_DISPLAY": "wayland-1"],
            "XDG_RUNTIME_DIR is not set, so the Wayland display wayland-1 cannot be found"
        ),
    ]

    @Test(arguments: notWayland)
    func notAWaylandSession(environment: [String: String], reason: String) {
        #expect(throws: PresenceUnavailable(reason)) { try launch(environment) }
    }

    @Test func swayidleNotInstalled() {
        #expect(
            throws: PresenceUnavailable(
                "swayidle is not installed (looked in PATH and /usr/bin; on Debian: apt install swayidle)")
        ) { try launch(["WAYLAND_DISPLAY": "/w", "PATH": "/opt/a"], installed: []) }
    }

    @Test func socketProblemsInWords() {
        #expect(
            SwayidleLaunch.socketProblem(path: "/r/wayland-1", errno: ENOENT, text: "")
                == "no Wayland compositor: /r/wayland-1 does not exist")
        #expect(
            SwayidleLaunch.socketProblem(path: "/r/wayland-1", errno: ECONNREFUSED, text: "")
                == "no Wayland compositor listens on /r/wayland-1")
        #expect(
            SwayidleLaunch.socketProblem(path: "/r/wayland-1", errno: EACCES, text: "Permission denied")
                == "cannot connect to the Wayland compositor at /r/wayland-1: Permission denied")
    }
}
