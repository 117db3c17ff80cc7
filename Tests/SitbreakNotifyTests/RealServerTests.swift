import Foundation
import SitbreakTesting
import Testing

/// `sitbreak-notify` end to end on real notification servers: dunst under Xvfb (read back with
/// `dunstctl`, its context menu answered by a dmenu stand-in that picks a button) and mako under
/// headless sway (read back with `makoctl list`, buttons pressed with `makoctl invoke`).
@Suite(.serialized) struct RealServerTests {
    /// Starts the daemon (on ``MockServerTests/config``) and the notifier on `bus`.
    static func start(bus: PrivateBus) throws -> (DaemonProcess, NotifierProcess) {
        let daemon = try DaemonProcess(config: MockServerTests.config)
        try daemon.start()
        let notifier = try NotifierProcess(daemon: daemon, busAddress: bus.address)
        try notifier.waitForLog("subscribed to sitbreakd")
        return (daemon, notifier)
    }

    static func walkSnoozes(_ daemon: DaemonProcess) throws -> Int? {
        let reply = try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)
        let kinds = (reply["result"] as? [String: Any])?["kinds"] as? [[String: Any]]
        return kinds?.first { $0["name"] as? String == "walk" }?["snoozes"] as? Int
    }

    @Test func dunstUnderXvfb() throws {
        let bus = try PrivateBus()
        let x = try XvfbServer()
        let dunst = try NotificationServerProcess(
            bus: bus, command: ["/usr/bin/dunst"], environment: x.environment, package: "dunst"
        ) { directory in
            // dunst hands its context menu to "dmenu" on stdin and invokes the line it prints.
            let pick = try directory.write(
                "pick",
                "#!/bin/sh\ncat > \(directory.path)/menu\ngrep -m1 \"$(cat \(directory.path)/choice)\" \(directory.path)/menu\n"
            )
            chmod(pick, 0o755)
            let config = try directory.write(
                "dunstrc", "[global]\nstack_duplicates = false\nnotification_limit = 0\ndmenu = \(pick)\n")
            return ["-config", config]
        }
        let dunstctl = "/usr/bin/dunstctl"
        func count(_ which: String) throws -> Int { Int(try dunst.control(dunstctl, ["count", which]).trimmed) ?? -1 }
        let (daemon, notifier) = try Self.start(bus: bus)
        try NotifierProcess.wait(timeout: 10, "dunst never showed the reminder: \(notifier.log)") {
            try count("displayed") == 1
        }
        #expect(notifier.log.contains("notification server: dunst"))
        // The nag (a second after the reminder) replaces it: still one on the screen, none closed.
        usleep(1_500_000)
        #expect(try count("displayed") == 1)
        #expect(try count("history") == 0)
        // Snooze through dunst's own context menu.
        _ = try dunst.directory.write("choice", "Snooze")
        try dunst.control(dunstctl, ["context"])
        try NotifierProcess.wait(timeout: 5, "the daemon never counted the snooze: \(notifier.log)") {
            try Self.walkSnoozes(daemon) == 1
        }
        let menu = try String(contentsOfFile: dunst.directory.path + "/menu", encoding: .utf8)
        #expect(menu.contains("#Snooze 2 s (Time to walk.)"))
        #expect(menu.contains("#Skip (Time to walk.)"))
        #expect(menu.contains("#Done (Time to walk.)"))
        try NotifierProcess.wait(timeout: 5, "the snoozed reminder stayed") { try count("displayed") == 0 }
        let history = try dunst.control(dunstctl, ["history"])
        #expect(history.contains("\"Time to walk.\""))
        #expect(history.contains("Fetch <water> & tea.\\nYou have sat for"))
        // After the snooze it reminds again; going away closes it.
        try NotifierProcess.wait(timeout: 10, "no reminder after the snooze") { try count("displayed") == 1 }
        _ = try daemon.connect().request(#"{"id":1,"cmd":"presence","state":"lock"}"#)
        try NotifierProcess.wait(timeout: 5, "going away did not close it") { try count("displayed") == 0 }
        // A daemon restarted under it is reconnected to, and reminds through it again.
        _ = try daemon.connect().request(#"{"id":1,"cmd":"presence","state":"unlock"}"#)
        _ = daemon.signal(SIGTERM)
        try daemon.start()
        try notifier.waitForLog("subscribed to sitbreakd", count: 2)
        try NotifierProcess.wait(timeout: 10, "no reminder after the restart") { try count("displayed") == 1 }
    }

    @Test func makoUnderHeadlessSway() throws {
        let bus = try PrivateBus()
        let sway = try HeadlessSway()
        let mako = try NotificationServerProcess(
            bus: bus, command: ["/usr/bin/mako"],
            environment: ["WAYLAND_DISPLAY": sway.socketPath, "XDG_RUNTIME_DIR": sway.runtimeDirectory],
            package: "mako-notifier")
        let makoctl = "/usr/bin/makoctl"
        func shown() throws -> [[String: Any]] {
            let text = try mako.control(makoctl, ["list"])
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return ((object?["data"] as? [[Any]])?.first as? [[String: Any]]) ?? []
        }
        func value(_ notification: [String: Any], _ key: String) -> Any? {
            (notification[key] as? [String: Any])?["data"]
        }
        let (daemon, notifier) = try Self.start(bus: bus)
        try NotifierProcess.wait(timeout: 10, "mako never showed the reminder: \(notifier.log) \(mako.log)") {
            try shown().count == 1
        }
        let first = try #require(try shown().first)
        #expect(value(first, "summary") as? String == "Time to walk.")
        #expect((value(first, "body") as? String)?.contains("You have sat for") == true)
        let actions = value(first, "actions") as? [String: String]
        #expect(actions == ["snooze": "Snooze 2 s", "skip": "Skip", "done": "Done"])
        // The nag replaces it: never two.
        usleep(1_500_000)
        #expect(try shown().count == 1)
        let id = try #require(value(try shown()[0], "id") as? Int)
        try mako.control(makoctl, ["invoke", "-n", String(id), "snooze"])
        try NotifierProcess.wait(timeout: 5, "the daemon never counted the snooze: \(notifier.log)") {
            try Self.walkSnoozes(daemon) == 1
        }
        try NotifierProcess.wait(timeout: 5, "the snoozed reminder stayed") { try shown().isEmpty }
        try NotifierProcess.wait(timeout: 10, "no reminder after the snooze") { try shown().count == 1 }
        _ = try daemon.connect().request(#"{"id":1,"cmd":"presence","state":"lock"}"#)
        try NotifierProcess.wait(timeout: 5, "going away did not close it") { try shown().isEmpty }
        _ = try daemon.connect().request(#"{"id":1,"cmd":"presence","state":"unlock"}"#)
        _ = daemon.signal(SIGTERM)
        try daemon.start()
        try notifier.waitForLog("subscribed to sitbreakd", count: 2)
        try NotifierProcess.wait(timeout: 10, "no reminder after the restart") { try shown().count == 1 }
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
