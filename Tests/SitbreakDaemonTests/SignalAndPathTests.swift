import Foundation
import SitbreakTesting
import Testing

/// The real `sitbreakd` against signals it was not meant to get, and against a runtime directory
/// it must not trust (docs/protocol.md §1).
@Suite struct SignalAndPathTests {
    static let quiet = InProcessDaemon.quietConfig

    @Test func signalsThatMeanNothingAreIgnored() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        try daemon.start()
        let signals: [Int32] = [
            SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF, SIGIO, SIGXFSZ, SIGSTKFLT, SIGTTIN, SIGTTOU,
            Self.firstRealTimeSignal + 2, Self.lastRealTimeSignal,
        ]
        for signal in signals {
            daemon.signal(signal, wait: false)
            usleep(50_000)
            #expect(daemon.process?.isRunning == true, "signal \(signal) killed sitbreakd")
            #expect(try daemon.connect().request(#"{"id":1,"cmd":"version"}"#)["ok"] as? Bool == true)
        }
    }

    /// glibc keeps the first two real-time signals for itself; these are the ones a process may get.
    static let firstRealTimeSignal: Int32 = 34
    static let lastRealTimeSignal: Int32 = 64

    @Test(arguments: [SIGQUIT, SIGXCPU, SIGPWR, SIGTERM, SIGINT])
    func signalsThatAskToEndSaveFirst(signal: Int32) throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        try daemon.start()
        let paused = try daemon.connect().request(#"{"id":1,"cmd":"pause","duration":"1h"}"#)
        #expect(paused["ok"] as? Bool == true)
        let before = try #require(
            try daemon.connect().request(#"{"id":2,"cmd":"status"}"#)["result"] as? [String: Any])
        #expect(daemon.signal(signal) == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        try daemon.start()
        let after = try #require(try daemon.connect().request(#"{"id":3,"cmd":"status"}"#)["result"] as? [String: Any])
        #expect(after["paused_until"] as? String == before["paused_until"] as? String)
        #expect(after["paused_until"] is String)
    }

    /// Starts the daemon expecting it to refuse; returns its stderr.
    func refusal(_ daemon: DaemonProcess) throws -> String {
        try daemon.start(waitForSocket: false)
        let process = try #require(daemon.process)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        return daemon.stderr
    }

    @Test func aSymlinkedRuntimeDirectoryIsRefusedAndItsTargetLeftAlone() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        let target = daemon.directory.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        chmod(target, 0o755)
        try FileManager.default.createSymbolicLink(
            atPath: daemon.runtimeDirectory + "/sitbreak", withDestinationPath: target)
        let stderr = try refusal(daemon)
        #expect(stderr.contains("/run/sitbreak is not a directory (a symbolic link or a file)"), "\(stderr)")
        var status = stat()
        stat(target, &status)
        #expect(status.st_mode & 0o777 == 0o755)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }

    @Test func aRuntimeDirectoryOfAnotherUserIsRefused() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        let directory = daemon.runtimeDirectory + "/sitbreak"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        chmod(directory, 0o777)
        try #require(chown(directory, 65534, 65534) == 0, "chown needs root")
        let stderr = try refusal(daemon)
        #expect(stderr.contains("/run/sitbreak belongs to uid 65534, not to you"), "\(stderr)")
    }

    @Test func aRuntimeDirectoryWritableByOthersIsRefused() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        let directory = daemon.runtimeDirectory + "/sitbreak"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        chmod(directory, 0o777)
        let stderr = try refusal(daemon)
        #expect(stderr.contains("/run/sitbreak is writable by other users (mode 777)"), "\(stderr)")
        var status = stat()
        stat(directory, &status)
        #expect(status.st_mode & 0o777 == 0o777)  // not chmod'ed behind the user's back
    }

    @Test func somethingOtherThanASocketAtTheSocketPathIsLeftAlone() throws {
        let daemon = try DaemonProcess(config: Self.quiet)
        let directory = daemon.runtimeDirectory + "/sitbreak"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        chmod(directory, 0o700)
        try FileManager.default.createSymbolicLink(atPath: daemon.socketPath, withDestinationPath: "/etc/hostname")
        let stderr = try refusal(daemon)
        #expect(stderr.contains("control.sock exists and is not a socket"), "\(stderr)")
    }
}
