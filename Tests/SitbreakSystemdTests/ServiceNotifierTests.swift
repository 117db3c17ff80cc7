import Glibc
import SitbreakSystem
import SitbreakSystemd
import SitbreakTesting
import Testing

@Suite("sd_notify")
struct ServiceNotifierTests {
    @Test("message texts")
    func messages() {
        #expect(ServiceNotifier.readyMessage(status: nil) == "READY=1")
        #expect(
            ServiceNotifier.readyMessage(status: "sitting since 09:36 · walk at 10:26")
                == "READY=1\nSTATUS=sitting since 09:36 · walk at 10:26")
        #expect(ServiceNotifier.statusMessage("two\nlines\r\nhere") == "STATUS=two lines here")
        #expect(
            ServiceNotifier.reloadingMessage(monotonicMicroseconds: 123_456_789)
                == "RELOADING=1\nMONOTONIC_USEC=123456789")
    }

    @Test("the watchdog ping interval is half of WatchdogSec")
    func pingInterval() {
        #expect(ServiceNotifier.pingIntervalMilliseconds(watchdogMicroseconds: 180_000_000) == 90_000)
        #expect(ServiceNotifier.pingIntervalMilliseconds(watchdogMicroseconds: 1_000) == 1)
        #expect(
            ServiceNotifier(socketPath: "/x", watchdogMicroseconds: 2_000_000).watchdogPingIntervalMilliseconds == 1000)
        #expect(ServiceNotifier(socketPath: "/x").watchdogPingIntervalMilliseconds == nil)
    }

    @Test("every message arrives as one datagram, from this process, in order")
    func roundTrip() throws {
        let receiver = try NotifyReceiver()
        defer { receiver.close() }
        let notifier = ServiceNotifier(socketPath: receiver.path, watchdogMicroseconds: 180_000_000)
        #expect(notifier.isEnabled)
        let before = ServiceNotifier.monotonicNow()
        notifier.ready(status: "sitting since 09:36 · walk at 10:26")
        notifier.status("paused until 11:00")
        notifier.watchdog()
        notifier.reloading()
        notifier.ready()
        notifier.stopping()
        let after = ServiceNotifier.monotonicNow()

        let got = try receiver.collect(for: 0.5)
        try #require(got.count == 6, "\(got)")
        #expect(got[0].text == "READY=1\nSTATUS=sitting since 09:36 · walk at 10:26")
        #expect(got[0]["STATUS"] == "sitting since 09:36 · walk at 10:26")
        #expect(got[1].text == "STATUS=paused until 11:00")
        #expect(got[2].text == "WATCHDOG=1")
        #expect(got[3]["RELOADING"] == "1")
        let stamp = try #require(got[3]["MONOTONIC_USEC"].flatMap(UInt64.init))
        #expect(stamp >= before && stamp <= after, "MONOTONIC_USEC \(stamp) not between \(before) and \(after)")
        #expect(got[4].text == "READY=1")
        #expect(got[5].text == "STOPPING=1")
        for datagram in got {
            #expect(datagram.senderPID == getpid())
            #expect(datagram.senderUID == getuid())
        }
        // Kernel arrival stamps: in order and close to now.
        #expect(zip(got, got.dropFirst()).allSatisfy { $0.arrival <= $1.arrival })
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        #expect(abs(Double(now.tv_sec) - got[0].arrival) < 5)
    }

    @Test("a socket nobody listens on is a typed error, not a crash")
    func noListener() throws {
        let directory = try TemporaryDirectory(prefix: "sitbreak-notify-missing")
        defer { directory.remove() }
        let notifier = ServiceNotifier(socketPath: directory.path + "/nobody.sock")
        #expect(throws: SystemError("sendto \(directory.path)/nobody.sock", code: ENOENT)) {
            try notifier.send("READY=1")
        }
        notifier.ready()  // the convenience form drops the failure
        let tooLong = ServiceNotifier(socketPath: "/" + String(repeating: "x", count: 200))
        #expect(throws: SystemError.self) { try tooLong.send("READY=1") }
    }

    @Test("without NOTIFY_SOCKET and WATCHDOG_USEC the environment notifier is off")
    func environmentOff() throws {
        try #require(getenv("NOTIFY_SOCKET") == nil, "this test must not run under a service manager's NOTIFY_SOCKET")
        try #require(getenv("WATCHDOG_USEC") == nil)
        let notifier = ServiceNotifier()
        #expect(!notifier.isEnabled)
        #expect(notifier.watchdogPingIntervalMilliseconds == nil)
        #expect(throws: Never.self) { try notifier.send("READY=1") }
    }

    @Test("errors carry the operation and errno's text")
    func errorText() throws {
        #expect(
            SystemError("sd_listen_fds", code: EBADF).description == "sd_listen_fds: Bad file descriptor")
        #expect(throws: SystemError("op", code: EINVAL)) { try SystemError.check(-EINVAL, "op") }
        #expect(try SystemError.check(2, "op") == 2)
        errno = EACCES
        #expect(throws: SystemError("open", code: EACCES)) { try SystemError.checkSystemCall(-1, "open") }
        #expect(try SystemError.checkSystemCall(Int(7), "read") == 7)
    }
}

@Suite("socket activation")
struct SocketActivationTests {
    @Test("descriptors start at 3")
    func descriptors() {
        #expect(SocketActivation.descriptors(count: 0) == [])
        #expect(SocketActivation.descriptors(count: 2) == [3, 4])
        #expect(SocketActivation.descriptors(count: -1) == [])
    }

    @Test("a process systemd did not activate has no sockets")
    func notActivated() throws {
        try #require(getenv("LISTEN_PID") == nil, "the test process itself must not be socket-activated")
        #expect(SocketActivation.listeningSockets() == [])
        #expect(try SocketActivation.passedSockets() == [])
    }

    @Test("only a listening AF_UNIX stream socket qualifies")
    func socketKind() throws {
        let directory = try TemporaryDirectory(prefix: "sitbreak-activation")
        defer { directory.remove() }
        let streamSocket = FileDescriptor(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0))
        let datagramSocket = FileDescriptor(socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0))
        defer {
            streamSocket.close()
            datagramSocket.close()
        }
        let stream = streamSocket.rawValue
        let datagram = datagramSocket.rawValue
        try #require(try UnixSocketAddress(directory.path + "/s.sock").bind(stream) == 0)
        #expect(!SocketActivation.isListeningUnixStream(stream), "bound but not listening")
        try #require(listen(stream, 4) == 0)
        #expect(SocketActivation.isListeningUnixStream(stream))
        #expect(!SocketActivation.isListeningUnixStream(datagram))
        #expect(!SocketActivation.isListeningUnixStream(-1))
    }
}
