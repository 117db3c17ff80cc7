import Foundation
import SitbreakDaemon
import SitbreakTesting
import Testing

/// Hostile or broken clients (docs/protocol.md §1–2): what one client does must not cost the daemon
/// unbounded memory or CPU, nor lock another client out.
@Suite struct ClientLimitTests {
    /// `{"id":N,"cmd":"status"}` lines, `count` of them, as bytes.
    static func statusRequests(_ count: Int, from first: Int = 0) -> [UInt8] {
        Array((first..<first + count).map { #"{"id":\#($0),"cmd":"status"}"# + "\n" }.joined().utf8)
    }

    /// Sends as much of `bytes` as the socket takes within `seconds` without blocking; returns
    /// how many bytes went.
    static func sendNonBlocking(_ fd: Int32, _ bytes: [UInt8], seconds: Double) -> Int {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        var sent = 0
        let deadline = Date().addingTimeInterval(seconds)
        while sent < bytes.count && Date() < deadline {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n } else { usleep(5000) }
        }
        return sent
    }

    static func residentKiB(_ pid: Int32) throws -> Int {
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    /// CPU time (user + system) the process used so far, in clock ticks.
    static func cpuTicks(_ pid: Int32) throws -> Int {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = text[text.lastIndex(of: ")")!...].split(separator: " ")
        return Int(fields[12])! + Int(fields[13])!
    }

    @Test func aClientThatNeverReadsIsNotReadEitherAndGetsEveryReplyWhenItDoes() throws {
        let daemon = try DaemonProcess(config: InProcessDaemon.quietConfig)
        try daemon.start()
        let pid = try #require(daemon.process?.processIdentifier)
        let baseline = try Self.residentKiB(pid)
        let flooder = try daemon.connect()
        var size: Int32 = 4096
        setsockopt(flooder.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        // 40 MB of requests (about 2 GB of replies): the daemon stops reading once its replies
        // pile up, so most of them never leave this process.
        let count = 1_600_000
        let requests = Self.statusRequests(count)
        let sent = Self.sendNonBlocking(flooder.fd, requests, seconds: 3)
        #expect(sent < requests.count / 10, "the daemon kept reading a client that does not read")
        #expect(try Self.residentKiB(pid) - baseline < 16 * 1024)

        // Another client is served at once meanwhile.
        let other = try daemon.connect()
        let start = Date()
        #expect(try other.request(#"{"id":1,"cmd":"status"}"#)["ok"] as? Bool == true)
        #expect(Date().timeIntervalSince(start) < 0.5)

        // Reading now, the flooder gets a reply to every whole line it sent, in order.
        let whole = requests[..<sent].filter { $0 == 0x0A }.count
        for id in 0..<whole {
            guard let line = flooder.readLine(timeout: 10) else {
                Issue.record("reply \(id) of \(whole) missing")
                break
            }
            if !line.hasPrefix(#"{"id":\#(id),"ok":true"#) {
                Issue.record("reply \(id): \(line.prefix(80))")
                break
            }
        }
    }

    @Test func aHalfClosedClientGetsEveryReplyBeforeTheClose() throws {
        let daemon = try DaemonProcess(config: InProcessDaemon.quietConfig)
        try daemon.start()
        let client = try daemon.connect()
        let requests = Self.statusRequests(2000)
        #expect(Self.sendNonBlocking(client.fd, requests, seconds: 5) == requests.count)
        shutdown(client.fd, Int32(SHUT_WR))
        var ids: [Int] = []
        while let line = client.readLine(timeout: 5) {
            ids.append(try #require(try LineSocket.object(line)["id"] as? Int))
        }
        #expect(ids == Array(0..<2000))
    }

    enum Delivery: String, CaseIterable { case oneShot, lineFeedApart, byteByByte }

    /// The 64 KiB limit counts neither the line feed nor a carriage return before it, however the
    /// bytes arrive.
    @Test(arguments: Delivery.allCases, [65_536, 65_537])
    func aCRLFLineIsJudgedTheSameHoweverItArrives(delivery: Delivery, length: Int) throws {
        let daemon = try InProcessDaemon()
        defer { daemon.stop() }
        let client = try daemon.connect()
        let request = #"{"id":1,"cmd":"version"}"#
        let line = Array((request + String(repeating: " ", count: length - request.utf8.count) + "\r\n").utf8)
        // A line known to be too long is refused (and the connection closed) as soon as it is
        // known, so sends after that may fail: their results are not checked.
        switch delivery {
        case .oneShot:
            _ = Self.sendNonBlocking(client.fd, line, seconds: 5)
        case .lineFeedApart:
            _ = Self.sendNonBlocking(client.fd, Array(line.dropLast()), seconds: 5)
            usleep(200_000)
            _ = Self.sendNonBlocking(client.fd, [0x0A], seconds: 1)
        case .byteByByte:
            for (i, byte) in line.enumerated() {
                guard Self.sendNonBlocking(client.fd, [byte], seconds: 1) == 1 else { break }
                if i % 4096 == 0 || i >= line.count - 3 { usleep(2000) }
            }
        }
        let reply = try LineSocket.object(try #require(client.readLine()))
        if length <= 65_536 {
            #expect(reply["ok"] as? Bool == true)
        } else {
            #expect((reply["error"] as? [String: Any])?["code"] as? String == "line-too-long")
        }
    }

    @Test func whenOnlySubscribersRemainTheNewestMakesRoomAndTheOldestKeepsItsStream() throws {
        var limits = ControlServer.Limits()
        limits.maximumClients = 3
        let daemon = try InProcessDaemon(limits: limits)
        defer { daemon.stop() }
        let subscribers = try (0..<3).map { _ in try daemon.connect() }
        for client in subscribers {
            _ = try client.request(#"{"id":1,"cmd":"subscribe"}"#)
            _ = client.readLine()  // the state line
        }
        let ctl = try daemon.connect()
        #expect(try ctl.request(#"{"id":2,"cmd":"version"}"#)["ok"] as? Bool == true)
        #expect(subscribers[2].waitForLine(timeout: 3) { $0.contains("too-many-clients") } != nil)
        _ = try ctl.request(#"{"id":3,"cmd":"presence","state":"lock"}"#)
        #expect(subscribers[0].waitForLine(timeout: 3) { $0.contains(#""event":"away""#) } != nil)
    }

    /// `RssAnon` (heap and other private memory) of a process, in KiB.
    static func anonymousKiB(_ pid: Int32) throws -> Int {
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("RssAnon:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test func theMemoryACrowdOfSubscribersUsedIsGivenBackWhenItLeaves() throws {
        let daemon = try DaemonProcess(config: InProcessDaemon.quietConfig)
        try daemon.start()
        let pid = try #require(daemon.process?.processIdentifier)
        let ctl = try daemon.connect()
        _ = try ctl.request(#"{"id":1,"cmd":"status"}"#)
        let baseline = try Self.anonymousKiB(pid)
        var crowd = try (0..<600).map { _ in try daemon.connect() }
        for client in crowd {
            try client.send(#"{"id":1,"cmd":"subscribe"}"#)
        }
        for client in crowd {
            _ = client.readLine()  // the reply
            _ = client.readLine()  // the state line
        }
        _ = try ctl.request(#"{"id":2,"cmd":"presence","state":"lock"}"#)
        let crowded = try Self.anonymousKiB(pid)
        crowd.removeAll()  // closes them
        usleep(300_000)
        _ = try ctl.request(#"{"id":3,"cmd":"status"}"#)  // the closes are handled by now
        let after = try Self.anonymousKiB(pid)
        // The crowd cost megabytes (buffers, connection objects); nearly all of it comes back.
        #expect(crowded - baseline > 1024, "the crowd did not cost enough to tell: \(crowded - baseline) KiB")
        #expect(
            after - baseline < (crowded - baseline) / 3, "baseline \(baseline), crowded \(crowded), after \(after) KiB")
    }

    @Test func aConnectionThatSaysNothingIsClosedWhenAnotherConnects() throws {
        var limits = ControlServer.Limits()
        limits.silentSeconds = 1
        let daemon = try InProcessDaemon(limits: limits)
        defer { daemon.stop() }
        let silent = try daemon.connect()
        let talker = try daemon.connect()
        _ = try talker.request(#"{"id":1,"cmd":"version"}"#)
        usleep(1_200_000)
        let newcomer = try daemon.connect()
        #expect(try newcomer.request(#"{"id":2,"cmd":"version"}"#)["ok"] as? Bool == true)
        #expect(silent.readLine(timeout: 2) == nil)  // closed, without a word
        #expect(try talker.request(#"{"id":3,"cmd":"version"}"#)["ok"] as? Bool == true)
    }

    /// Out of descriptors (a low limit, most of it taken by descriptors the daemon inherited, so
    /// that accept fails before the client cap): no spinning, a few log lines, and a new client
    /// still gets in.
    @Test func outOfDescriptorsTheDaemonNeitherSpinsNorLocksANewClientOut() throws {
        let daemon = try DaemonProcess(config: InProcessDaemon.quietConfig)
        let inherit = """
            import os, sys
            for _ in range(70): os.set_inheritable(os.open("/dev/null", os.O_RDONLY), True)
            os.execv(sys.argv[1], sys.argv[1:])
            """
        try daemon.start(wrapper: ["prlimit", "--nofile=100:100", "--", "python3", "-c", inherit])
        let pid = try #require(daemon.process?.processIdentifier)
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        #expect(open > 75, "the daemon holds \(open) descriptors; the test needs it near its limit of 100")
        // Far more clients than descriptors left; the earlier ones are idle.
        var clients: [LineSocket] = []
        for _ in 0..<60 { clients.append(try daemon.connect()) }
        let ticks = try Self.cpuTicks(pid)
        sleep(2)
        #expect(try Self.cpuTicks(pid) - ticks < 20, "the daemon kept busy with nothing to do")
        let newcomer = try daemon.connect()
        #expect(try newcomer.request(#"{"id":1,"cmd":"status"}"#)["ok"] as? Bool == true)
        let lines = daemon.stderr.split(separator: "\n").filter { $0.contains("file descriptors") }
        #expect(!lines.isEmpty && lines.count <= 3, "\(lines)")
        // The daemon still saves: its own files have room.
        #expect(try newcomer.request(#"{"id":2,"cmd":"pause","duration":"10m"}"#)["ok"] as? Bool == true)
        #expect(daemon.signal(SIGTERM) == 0)
        #expect(!daemon.stderr.contains("could not save"))
    }
}
