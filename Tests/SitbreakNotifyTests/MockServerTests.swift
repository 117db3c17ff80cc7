import Foundation
import SitbreakTesting
import Testing

/// `sitbreak-notify` end to end against the real `sitbreakd` and python3-dbusmock's
/// `notification_daemon` on a private session bus, on a seconds-scale schedule.
@Suite(.serialized) struct MockServerTests {
    static let config = """
        idle_threshold = "1s"
        coalesce = "0s"
        [breaks.walk]
        every = "3s"
        duration = "2s"
        renotify = "1s"
        max_nags = 1
        snooze = "2s"
        max_snoozes = 1
        message = "Time to walk."
        suggestions = ["Fetch <water> & tea."]
        """

    /// A bus, a mock server with `capabilities`, the daemon and the notifier, all started.
    struct Setup {
        let bus: PrivateBus
        var mock: DBusMock
        let daemon: DaemonProcess
        let notifier: NotifierProcess

        init(capabilities: String) throws {
            bus = try PrivateBus()
            mock = try Self.server(bus, capabilities: capabilities)
            daemon = try DaemonProcess(config: MockServerTests.config)
            try daemon.start()
            notifier = try NotifierProcess(daemon: daemon, busAddress: bus.address)
            try notifier.waitForLog("subscribed to sitbreakd")
        }

        static func server(_ bus: PrivateBus, capabilities: String) throws -> DBusMock {
            try DBusMock(
                bus: bus, template: "notification_daemon", name: "org.freedesktop.Notifications", system: false,
                parameters: #"{"capabilities":"\#(capabilities)"}"#)
        }

        /// Waits until the mock's log holds `text` `count` times.
        func waitForCall(_ text: String, count: Int = 1, timeout: Double = 10) throws {
            try NotifierProcess.wait(timeout: timeout, "the server never saw \(text):\n\(mock.log)\n\(notifier.log)") {
                mock.log.components(separatedBy: text).count - 1 >= count
            }
        }

        /// The walk kind in `status`.
        func walk() throws -> [String: Any] {
            let reply = try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)
            let kinds = (reply["result"] as? [String: Any])?["kinds"] as? [[String: Any]]
            return try #require(kinds?.first { $0["name"] as? String == "walk" })
        }
    }

    @Test("sitbreakctl doctor names the notification server, and says sitbreak-notify is not installed")
    func doctorFindsTheServer() throws {
        let bus = try PrivateBus()
        let mock = try Setup.server(bus, capabilities: "body actions")
        defer { _ = mock }
        let daemon = try DaemonProcess(config: Self.config)
        try daemon.start()
        let doctor = Process()
        let out = Pipe()
        doctor.executableURL = URL(fileURLWithPath: try BuiltProducts.require("sitbreakctl"))
        doctor.arguments = ["doctor"]
        doctor.environment = [
            "XDG_RUNTIME_DIR": daemon.runtimeDirectory, "DBUS_SESSION_BUS_ADDRESS": bus.address,
            "HOME": daemon.runtimeDirectory, "PATH": "/usr/bin:/bin", "TZ": "UTC",
        ]
        doctor.standardOutput = out
        try doctor.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        doctor.waitUntilExit()
        let line = text.split(separator: "\n").first { $0.hasPrefix("warn  notifications") }
        #expect(
            line?.contains("mock-notify 1.0 answers, but sitbreak-notify.service is not installed") == true, "\(text)")
    }

    @Test func aReminderWithButtonsANagThatReplacesItAndSnoozeThatReachesTheDaemon() throws {
        let setup = try Setup(capabilities: "body body-markup actions")
        // The first reminder: a new notification (replaces_id 0), escaped text, three buttons.
        try setup.waitForCall(#"Notify "sitbreak" 0 "sitbreak" "Time to walk.""#)
        let log = setup.mock.log
        #expect(log.contains("Fetch &lt;water&gt; &amp; tea.\nYou have sat for"))
        #expect(log.contains(#"["snooze", "Snooze 2 s", "skip", "Skip", "done", "Done"]"#))
        #expect(log.contains(#""desktop-entry": "sitbreak""#))
        #expect(log.contains(#""urgency": 1"#))
        // The nag replaces it.
        try setup.waitForCall(#"Notify "sitbreak" 1 "sitbreak" "Time to walk.""#)
        #expect(!setup.mock.log.contains(#"Notify "sitbreak" 0 "sitbreak" "Time to walk."\#n"#))
        // Snooze pressed: the daemon counts it, and the notification closes.
        try setup.mock.emit(
            "/org/freedesktop/Notifications", "org.freedesktop.Notifications", "ActionInvoked", "us", ["1", "snooze"])
        try NotifierProcess.wait(timeout: 5, "the daemon never counted the snooze") {
            try setup.walk()["snoozes"] as? Int == 1
        }
        try setup.waitForCall("CloseNotification 1")
        // After the snooze the kind reminds again; a second snooze is refused (max_snoozes = 1)
        // and the notification says why instead.
        try setup.waitForCall(#"Notify "sitbreak" 0 "sitbreak" "Time to walk.""#, count: 2)
        try setup.mock.emit(
            "/org/freedesktop/Notifications", "org.freedesktop.Notifications", "ActionInvoked", "us", ["2", "snooze"])
        try setup.waitForCall(#"Notify "sitbreak" 2 "sitbreak" "Could not snooze walk""#)
        #expect(setup.mock.log.contains("max_snoozes = 1"))
    }

    @Test func withoutActionsTheBodyNamesTheCommandsAndGoingAwayClosesIt() throws {
        let setup = try Setup(capabilities: "body")
        try setup.waitForCall(#"Notify "sitbreak" 0 "sitbreak" "Time to walk.""#)
        let log = setup.mock.log
        #expect(log.contains("Fetch <water> & tea."), "no markup: no escaping")
        #expect(log.contains("Snooze: sitbreakctl snooze walk"))
        #expect(log.contains("Done\"]") == false)
        _ = try setup.daemon.connect().request(#"{"id":1,"cmd":"presence","state":"lock"}"#)
        try setup.waitForCall("CloseNotification 1")
    }

    @Test func aRestartedDaemonIsReconnectedTo() throws {
        let setup = try Setup(capabilities: "body actions")
        _ = setup.daemon.signal(SIGTERM)
        try setup.notifier.waitForLog("closed the event stream")
        try setup.daemon.start()
        try setup.notifier.waitForLog("subscribed to sitbreakd", count: 2)
        try setup.waitForCall(#""Time to walk.""#)
    }

    @Test func aServerThatLeavesAndReturnsGetsTheReminderAgain() throws {
        var setup = try Setup(capabilities: "body actions")
        try setup.waitForCall(#"Notify "sitbreak" 0 "sitbreak" "Time to walk.""#)
        // Hold the reminder open: no nag or reset while the server is away.
        setup.mock.stop()
        try setup.notifier.waitForLog("the notification server left the session bus")
        setup.mock = try Setup.server(setup.bus, capabilities: "body actions")
        try setup.notifier.waitForLog("notification server: mock-notify", count: 2)
        try setup.waitForCall(#"Notify "sitbreak" 0 "sitbreak" "Time to walk.""#)
    }

    @Test func hooksRunAndSIGHUPReloadsNotifyKeepingTheRunningSettingsOnAnError() throws {
        let setup = try Setup(capabilities: "body actions")
        let marker = setup.daemon.directory.path + "/hook-ran"
        let withHook =
            MockServerTests.config
            + "\n[notify]\nurgency = \"critical\"\n[hooks]\nreminder = [\"/bin/sh\", \"-c\", \"echo $SITBREAK_KIND >> \(marker)\"]\n"
        try withHook.write(toFile: setup.daemon.configPath, atomically: true, encoding: .utf8)
        setup.notifier.signal(SIGHUP)
        try setup.notifier.waitForLog("reloaded the [notify] and [hooks] settings")
        try setup.waitForCall(#""urgency": 2"#)
        try NotifierProcess.wait(timeout: 10, "the reminder hook never ran: \(setup.notifier.log)") {
            (try? String(contentsOfFile: marker, encoding: .utf8))?.hasPrefix("walk\n") == true
        }
        try (MockServerTests.config + "\n[notify]\nurgency = \"loud\"\n").write(
            toFile: setup.daemon.configPath, atomically: true, encoding: .utf8)
        setup.notifier.signal(SIGHUP)
        try setup.notifier.waitForLog("notify.urgency: \"loud\" is not an urgency")
        try setup.notifier.waitForLog("keeping the running [notify] and [hooks] settings")
        #expect(setup.notifier.isRunning)
    }
}

/// A server that is D-Bus activatable is started by `sitbreak-notify`'s first call.
@Suite struct ActivationTests {
    @Test func anActivatableServerIsStartedOnDemand() throws {
        let services = try TemporaryDirectory(prefix: "sitbreak-dbus-services")
        defer { services.remove() }
        let log = services.path + "/server.log"
        let server = try services.write(
            "server.sh",
            """
            #!/bin/sh
            exec /usr/bin/python3 -m dbusmock --template notification_daemon \\
                --parameters '{"capabilities":"body actions"}' > \(log) 2>&1

            """)
        chmod(server, 0o755)
        _ = try services.write(
            "org.freedesktop.Notifications.service",
            "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=\(server)\n")
        let bus = try PrivateBus(serviceDirectory: services.path)
        let daemon = try DaemonProcess(config: MockServerTests.config)
        try daemon.start()
        let notifier = try NotifierProcess(daemon: daemon, busAddress: bus.address)
        try NotifierProcess.wait(
            timeout: 15,
            "the server never came: \(notifier.log) \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "no log")"
        ) {
            notifier.log.contains("notification server: mock-notify")
        }
        try NotifierProcess.wait(timeout: 10, "the activated server never got the reminder: \(notifier.log)") {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(
                #"Notify "sitbreak" 0 "sitbreak" "Time to walk.""#)
        }
    }
}
