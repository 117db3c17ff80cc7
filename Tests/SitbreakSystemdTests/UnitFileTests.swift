import Foundation
import SitbreakTesting
import Testing

/// The `Key=value` settings of a unit file (comments and sections dropped), in order.
func settings(_ unit: String) -> [(key: String, value: String)] {
    unit.split(separator: "\n").compactMap { line in
        guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
        return (String(line[..<equals]), String(line[line.index(after: equals)...]))
    }
}

/// The repository's units in a fresh directory, with ExecStart pointing at `binary` (verify
/// requires the binary to exist).
func stagedUnits(in directory: TemporaryDirectory, binary: String) throws -> (service: String, socket: String) {
    let service = try repositoryFile("systemd/sitbreakd.service")
    let rewritten = service.replacingOccurrences(
        of: "\nExecStart=/usr/local/bin/sitbreakd\n", with: "\nExecStart=\(binary)\n")
    #expect(rewritten != service, "the service no longer has the line make install rewrites")
    let units = directory.path + "/units"
    try FileManager.default.createDirectory(atPath: units, withIntermediateDirectories: true)
    try rewritten.write(toFile: units + "/sitbreakd.service", atomically: false, encoding: .utf8)
    try FileManager.default.copyItem(
        atPath: repositoryRoot + "/systemd/sitbreakd.socket", toPath: units + "/sitbreakd.socket")
    return (units + "/sitbreakd.service", units + "/sitbreakd.socket")
}

@Suite("systemd units", .tags(.fixture, .systemdTools), .needs(.systemdTools))
struct UnitFileTests {
    @Test("systemd-analyze --user verify prints nothing for both units")
    func verify() throws {
        let scratch = try TemporaryDirectory(prefix: "sitbreak-units")
        defer { scratch.remove() }
        let units = try stagedUnits(in: scratch, binary: "/bin/true")
        let runtime = try privateDirectory(in: scratch, "runtime")
        let result = try systemdAnalyze(
            ["--user", "verify", "--man=no", units.service, units.socket], runtimeDirectory: runtime)
        #expect(result.output.isEmpty, "systemd-analyze verify complained:\n\(result.output)")
        #expect(result.status == 0)
    }

    @Test("the same check reports a broken unit (so the test above can fail)")
    func verifyCatchesMistakes() throws {
        let scratch = try TemporaryDirectory(prefix: "sitbreak-units-bad")
        defer { scratch.remove() }
        let units = try stagedUnits(in: scratch, binary: scratch.path + "/no-such-binary")
        let runtime = try privateDirectory(in: scratch, "runtime")
        let missing = try systemdAnalyze(
            ["--user", "verify", "--man=no", units.service, units.socket], runtimeDirectory: runtime)
        #expect(missing.output.contains("no-such-binary"), "\(missing.output)")
        let typo = try scratch.write(
            "typo.service", "[Service]\nType=notify\nExecStart=/bin/true\nProtectSytem=strict\n")
        let result = try systemdAnalyze(["--user", "verify", "--man=no", typo], runtimeDirectory: runtime)
        #expect(result.output.contains("ProtectSytem"), "\(result.output)")
    }

    @Test("systemd-analyze --user security --offline scores the service 3.0 or better")
    func security() throws {
        let scratch = try TemporaryDirectory(prefix: "sitbreak-units-security")
        defer { scratch.remove() }
        let units = try stagedUnits(in: scratch, binary: "/bin/true")
        let runtime = try privateDirectory(in: scratch, "runtime")
        let result = try systemdAnalyze(
            ["--user", "security", "--offline=true", "--man=no", "--no-pager", units.service], runtimeDirectory: runtime
        )
        let marker = "Overall exposure level for sitbreakd.service: "
        let line = try #require(
            result.output.split(separator: "\n").first { $0.contains(marker) }, "no score in:\n\(result.output)")
        let score = try #require(
            Double(line.components(separatedBy: marker)[1].prefix { $0.isNumber || $0 == "." }), "\(line)")
        #expect(score <= 3.0, "exposure \(score):\n\(result.output)")
    }

    @Test("the service: notify type, main-only notifications, reload, restart, a watchdog at most once a minute")
    func serviceSettings() throws {
        let all = settings(try repositoryFile("systemd/sitbreakd.service"))
        let values = Dictionary(all.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        #expect(all.filter { $0.key == "ExecStart" }.map(\.value) == ["/usr/local/bin/sitbreakd"])
        #expect(values["Type"] == "notify")
        #expect(values["NotifyAccess"] == "main")
        #expect(values["ExecReload"] == "/bin/kill -HUP $MAINPID")
        #expect(values["Restart"] == "on-failure")
        #expect(values["TimeoutStopSec"] != nil)
        #expect(values["RuntimeDirectory"] == "sitbreak" && values["RuntimeDirectoryPreserve"] == "yes")
        #expect(values["UMask"] == "0077")
        // The daemon pings at half of WatchdogSec: one ping a minute or fewer (docs/design.md §7).
        let watchdog = try #require(values["WatchdogSec"])
        let seconds = try #require(Self.seconds(watchdog), "cannot read WatchdogSec=\(watchdog)")
        #expect(seconds / 2 >= 60, "WatchdogSec=\(watchdog) pings more than once a minute")
        #expect(seconds <= 600, "WatchdogSec=\(watchdog) lets a hung daemon go unnoticed too long")
        for option in [
            "NoNewPrivileges", "PrivateTmp", "PrivateDevices", "PrivateNetwork", "ProtectKernelTunables",
            "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock", "ProtectHostname",
            "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID", "LockPersonality", "MemoryDenyWriteExecute",
            "RemoveIPC",
        ] {
            #expect(values[option] == "yes", "\(option)")
        }
        #expect(values["ProtectSystem"] == "strict")
        #expect(values["ProtectHome"] == "read-only")
        #expect(values["ProtectProc"] == "invisible" && values["ProcSubset"] == "pid")
        #expect(values["RestrictAddressFamilies"] == "AF_UNIX")
        #expect(values["CapabilityBoundingSet"] == "")
        #expect(values["IPAddressDeny"] == "any")
        #expect(values["SystemCallArchitectures"] == "native")
        #expect(all.contains { $0.key == "SystemCallFilter" && $0.value == "@system-service" })
    }

    @Test("the socket: under %t/sitbreak, owner-only, for sitbreakd.service")
    func socketSettings() throws {
        let values = Dictionary(
            settings(try repositoryFile("systemd/sitbreakd.socket")).map { ($0.key, $0.value) },
            uniquingKeysWith: { $1 })
        #expect(values["ListenStream"] == "%t/sitbreak/control.sock")
        #expect(values["SocketMode"] == "0600")
        #expect(values["DirectoryMode"] == "0700")
        #expect(values["Service"] == "sitbreakd.service")
    }

    /// A systemd time span such as `3min`, `90s`, `2min 30s`, `1h`, in seconds.
    static func seconds(_ span: String) -> Double? {
        let units: [(String, Double)] = [("min", 60), ("h", 3600), ("ms", 0.001), ("s", 1)]
        var total = 0.0
        for part in span.split(separator: " ") {
            let digits = part.prefix { $0.isNumber }
            guard let number = Double(digits) else { return nil }
            let unit = part.dropFirst(digits.count)
            if unit.isEmpty {
                total += number
            } else if let factor = units.first(where: { $0.0 == unit })?.1 {
                total += number * factor
            } else {
                return nil
            }
        }
        return total
    }
}
