import Glibc
import SitbreakDBus
import SitbreakTesting
import Testing

@testable import SitbreakPresence

/// The logind inhibitor source against python3-dbusmock's logind, extended to announce
/// inhibitors as real logind does (``LogindMock``) (issue 4: "logind inhibitors with what
/// containing idle become inhibit/uninhibit inputs").
@Suite(.serialized, .tags(.fixture, .dbusmock), .needs(.dbusmock)) struct LogindInhibitSourceTests {
    @Test func anIdleInhibitorTakenAndReleasedGivesInhibitAndUninhibit() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let recorder = try PresenceRecorder()
        let source = LogindInhibitSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        #expect(recorder.words == [])

        let film = try logind.inhibit("idle", who: "mpv", loop: recorder.loop)
        recorder.run(until: 1)
        #expect(recorder.words == ["inhibit"])
        #expect(recorder.logLines == ["idle inhibited by mpv: a test"])

        close(film)
        recorder.run(until: 2)
        #expect(recorder.words == ["inhibit", "uninhibit"])
    }

    @Test func otherInhibitorsDoNotCount() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let recorder = try PresenceRecorder()
        let source = LogindInhibitSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        // The sleep source's own delay inhibitor, and a shutdown block.
        let sleep = LogindSleepSource()
        try sleep.start(recorder.context(environment: logind.environment))
        let shutdown = try logind.inhibit("shutdown:sleep", who: "backup", loop: recorder.loop)
        recorder.run(until: 1, timeout: 1)
        #expect(recorder.words == [])
        close(shutdown)
        sleep.stop()
        // An idle lock among others counts.
        let call = try logind.inhibit("sleep:idle", who: "a call", loop: recorder.loop)
        recorder.run(until: 1)
        #expect(recorder.words == ["inhibit"])
        close(call)
        recorder.run(until: 2)
        #expect(recorder.words == ["inhibit", "uninhibit"])
    }

    @Test func anIdleInhibitorHeldAtStartIsReportedAtStart() throws {
        let logind = try LogindMock()
        defer { logind.stop() }
        let recorder = try PresenceRecorder()
        let film = try logind.inhibit("idle", who: "mpv", loop: recorder.loop)
        let source = LogindInhibitSource()
        try source.start(recorder.context(environment: logind.environment))
        defer { source.stop() }
        #expect(recorder.words == ["inhibit"])
        // A second one changes nothing; releasing one of two changes nothing either.
        let second = try logind.inhibit("idle", who: "firefox", loop: recorder.loop)
        close(film)
        recorder.run(until: 2, timeout: 1)
        #expect(recorder.words == ["inhibit"])
        close(second)
        recorder.run(until: 2)
        #expect(recorder.words == ["inhibit", "uninhibit"])
    }

    @Test func theListIsReadWhateverTheModes() {
        let reply: [BusValue] = [
            .array([
                .structure([
                    .string("sleep"), .string("sitbreak"), .string("save"), .string("delay"), .uint(1000), .uint(9),
                ]),
                .structure([
                    .string("idle:sleep"), .string("GNOME"), .string("video"), .string("block-weak"), .uint(1000),
                    .uint(7),
                ]),
                .structure([
                    .string("handle-lid-switch"), .string("dock"), .string("docked"), .string("block"), .uint(0),
                    .uint(1),
                ]),
                .structure([.string("idle")]),
            ])
        ]
        let inhibitors = LogindInhibitors(listReply: reply)
        #expect(inhibitors.all.map(\.who) == ["sitbreak", "GNOME", "dock"])
        #expect(inhibitors.idle.map(\.who) == ["GNOME"])
        #expect(LogindInhibitors(listReply: []).all.isEmpty)
    }
}
