import SitbreakPresence
import Testing

/// How a reading of the user service manager's environment block changes the environment the
/// presence sources start with: the first reading fills gaps only, later ones are followed.
@Suite struct ManagerEnvironmentTests {
    @Test func onlyTheWatchedVariablesAreRead() {
        let reading = ManagerEnvironment(assignments: [
            "PATH=/usr/bin", "DISPLAY=:1", "WAYLAND_DISPLAY=wayland-0", "XDG_SESSION_TYPE=x11", "broken",
            "DISPLAY=:2",
        ])
        #expect(reading.values == ["DISPLAY": ":2", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"])
    }

    @Test func aValueMayContainEqualsSigns() {
        #expect(ManagerEnvironment(assignments: ["DISPLAY=host=:1"]).values == ["DISPLAY": "host=:1"])
    }

    @Test func theFirstReadingFillsWhatTheDaemonLacks() {
        let reading = ManagerEnvironment(values: ["DISPLAY": ":1", "XDG_SESSION_TYPE": "x11"])
        let (environment, changed) = reading.apply(to: ["HOME": "/home/a", "DISPLAY": ""], previous: nil)
        #expect(environment == ["HOME": "/home/a", "DISPLAY": ":1", "XDG_SESSION_TYPE": "x11"])
        #expect(changed == ["DISPLAY", "XDG_SESSION_TYPE"])
    }

    @Test func theFirstReadingKeepsWhatTheDaemonWasStartedWith() {
        let reading = ManagerEnvironment(values: ["DISPLAY": ":0"])
        let (environment, changed) = reading.apply(to: ["DISPLAY": ":7"], previous: nil)
        #expect(environment == ["DISPLAY": ":7"])
        #expect(changed.isEmpty)
    }

    @Test(
        arguments: [
            // (previous, new, daemon's, expected DISPLAY, changed)
            ([:], ["DISPLAY": ":1"], [:], ":1", ["DISPLAY"]),
            (["DISPLAY": ":1"], ["DISPLAY": ":2"], ["DISPLAY": ":1"], ":2", ["DISPLAY"]),
            (["DISPLAY": ":1"], [:], ["DISPLAY": ":1"], nil, ["DISPLAY"]),
            (["DISPLAY": ":1"], ["DISPLAY": ""], ["DISPLAY": ":1"], nil, ["DISPLAY"]),
            // What the manager did not change stays as the daemon has it.
            (
                ["DISPLAY": ":0"], ["DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"], ["DISPLAY": ":7"], ":7",
                ["XDG_SESSION_TYPE"]
            ),
        ] as [([String: String], [String: String], [String: String], String?, [String])])
    func laterReadingsAreFollowed(
        previous: [String: String], new: [String: String], daemon: [String: String], display: String?,
        changed: [String]
    ) {
        let result = ManagerEnvironment(values: new).apply(
            to: daemon, previous: ManagerEnvironment(values: previous))
        #expect(result.environment["DISPLAY"] == display)
        #expect(result.changed == changed)
    }

    @Test func theJournalLineNamesEveryChange() {
        let text = ManagerEnvironment.describe(["DISPLAY", "WAYLAND_DISPLAY"], in: ["DISPLAY": ":1"])
        #expect(text == "DISPLAY=:1, WAYLAND_DISPLAY unset")
    }
}
