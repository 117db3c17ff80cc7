import Foundation
import SitbreakTesting
import Testing

/// What goes wrong at either end: a daemon that sends garbage or closes mid-line, a server that
/// answers errors or never answers. Each gets a clear message and `sitbreak-notify` carries on.
@Suite(.serialized) struct BadInputTests {
    @Test func garbageFromTheDaemonIsLoggedAndSkippedAndAClosedStreamIsReconnected() throws {
        let bus = try PrivateBus()
        let mock = try DBusMock(
            bus: bus, template: "notification_daemon", name: "org.freedesktop.Notifications", system: false,
            parameters: #"{"capabilities":"body actions"}"#)
        // A stand-in daemon (the real one never misbehaves so): subscribe is answered, then a
        // garbage line, an unknown event, a valid reminder, and half a line before it hangs up.
        let daemon = try DaemonProcess(config: DaemonConfigs.quiet)
        let script = """
            import os, socket, sys
            path = sys.argv[1]
            os.makedirs(os.path.dirname(path), exist_ok=True)
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(path)
            server.listen(4)
            for round in range(2):
                conn, _ = server.accept()
                conn.makefile("rb").readline()
                conn.sendall(b'{"id":1,"ok":true,"result":{"subscribed":true}}\\n')
                conn.sendall(b'this is not json\\n{"event":"nap"}\\n')
                conn.sendall(b'{"time":"2026-11-30T09:50:00Z","event":"reminder","kind":"walk","nag":0,"sitting_s":3000,"covers":[],"message":"Stand up.","suggestion":"Stretch."}\\n')
                conn.sendall(b'{"time":"2026-11-30T09:5')
                conn.close()
            server.accept()[0].recv(1)
            import time
            time.sleep(2)
            """
        let fake = Process()
        fake.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        fake.arguments = ["-c", script, daemon.socketPath]
        try fake.run()
        defer {
            if fake.isRunning { kill(fake.processIdentifier, SIGKILL) }
        }
        try NotifierProcess.wait(timeout: 10, "the stand-in daemon never listened") {
            FileManager.default.fileExists(atPath: daemon.socketPath)
        }
        let notifier = try NotifierProcess(daemon: daemon, busAddress: bus.address)
        try notifier.waitForLog("ignoring a line from sitbreakd that is not an event", count: 4)
        #expect(notifier.log.contains(": this is not json"))
        #expect(notifier.log.contains(#"unknown event "nap""#))
        try notifier.waitForLog("sitbreakd closed the event stream; reconnecting", count: 2)
        #expect(notifier.log.components(separatedBy: "subscribed to sitbreakd").count - 1 == 2)
        // The third time it is turned away: the back-off starts, logged once.
        try notifier.waitForLog("cannot reach sitbreakd: sitbreakd closed the connection without replying")
        try NotifierProcess.wait(timeout: 5, "the valid reminder was not shown: \(mock.log)") {
            mock.log.contains(#"Notify "sitbreak" 0 "sitbreak" "Stand up.""#)
        }
        #expect(notifier.isRunning)
    }

    @Test func aServerThatAnswersErrorsOrNeverAnswersIsLoggedAndBounded() throws {
        let bus = try PrivateBus()
        let mock = try DBusMock(
            bus: bus, template: "notification_daemon", name: "org.freedesktop.Notifications", system: false,
            parameters: #"{"capabilities":"body actions"}"#)
        // Notify fails with an error reply.
        try mock.call(
            "/org/freedesktop/Notifications", "org.freedesktop.DBus.Mock", "AddMethod",
            [
                "sssss", "org.freedesktop.Notifications", "Notify", "susssasa{sv}i", "u",
                "raise dbus.exceptions.DBusException('no room on the screen', name='org.example.Full')",
            ])
        let daemon = try DaemonProcess(config: MockServerTests.config)
        try daemon.start()
        let notifier = try NotifierProcess(daemon: daemon, busAddress: bus.address)
        try notifier.waitForLog("no room on the screen (org.example.Full)")
        #expect(notifier.log.contains(#"the notification server did not show "Time to walk.""#))
        // Notify never answers: each call gives up after its bound, and the daemon's events
        // still get through (the snooze below closes nothing, but is seen and handled).
        try mock.call(
            "/org/freedesktop/Notifications", "org.freedesktop.DBus.Mock", "AddMethod",
            ["sssss", "org.freedesktop.Notifications", "Notify", "susssasa{sv}i", "u", "time.sleep(30)"])
        try notifier.waitForLog("Connection timed out")
        let started = Date()
        let reply = try daemon.connect().request(#"{"id":1,"cmd":"status"}"#)
        #expect(reply["ok"] as? Bool == true)
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(notifier.isRunning)
    }
}
