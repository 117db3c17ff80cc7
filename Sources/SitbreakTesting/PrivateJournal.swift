import Foundation

/// A real `systemd-journald` of its own, in a private mount namespace (docs/testing.md §2), for tests
/// that must prove an entry reached the journal: `sd_journal_sendv` reports success even when no
/// journald listens, so only reading entries back proves delivery.
///
/// `start()` runs `unshare -m --propagation private` with tmpfs mounts on `/run/systemd/journal`
/// and `/run/log/journal` (and `/var/log/journal` when it exists, so nothing is ever persisted on
/// the machine), starts `/lib/systemd/systemd-journald` there and waits for its socket. Programs
/// that should log into it run inside that namespace: ``command(_:)`` wraps an argument list in
/// `nsenter`, and ``shell(_:)`` runs a shell command there. ``entries(matching:)`` reads the
/// entries back as JSON. Several instances can run at once, each with its own journald. Needs
/// root (the test machine runs as root).
///
/// One owner: the instance owns the namespace's holder process and ends it (and so its journald)
/// in ``stop()`` or when it is released.
public final class PrivateJournal {
    /// One journal entry as `journalctl -o json` prints it.
    public struct Entry: Sendable, CustomStringConvertible {
        /// Every field with its values: journald allows a field more than once in an entry.
        public var fields: [String: [String]]

        /// The (first) value of `name`, e.g. `entry["SITBREAK_KIND"]`.
        public subscript(name: String) -> String? { fields[name]?.first }

        /// The entry as `NAME=value` lines, sorted, for failure messages.
        public var description: String {
            fields.keys.sorted().flatMap { key in fields[key]!.map { "\(key)=\($0)" } }.joined(separator: "\n")
        }
    }

    /// Setting up the journal failed; the description says what and how to fix it.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// The pid of the process holding the namespace (targets for `nsenter -t`).
    public let namespacePID: Int32
    private let holder: Process
    private let holderInput: Pipe
    private let scratch: TemporaryDirectory
    private var stopped = false

    /// Paths of the tools, with the Debian package each comes from.
    static let tools = [
        ("/usr/bin/unshare", "util-linux"), ("/usr/bin/nsenter", "util-linux"),
        ("/lib/systemd/systemd-journald", "systemd"), ("/usr/bin/journalctl", "systemd"),
    ]

    /// Starts journald in a new private namespace; fails with a clear message when a tool is
    /// missing or the socket does not appear within `timeout` seconds.
    public static func start(timeout: Double = 10) throws -> PrivateJournal {
        for (tool, package) in tools where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Failure(description: "\(tool) is missing: install it with `apt-get install -y \(package)`")
        }
        return try PrivateJournal(timeout: timeout)
    }

    private init(timeout: Double) throws {
        scratch = try TemporaryDirectory(prefix: "sitbreak-journal")
        let ready = scratch.path + "/ready"
        let log = scratch.path + "/journald.log"
        let script = """
            set -eu
            for d in /run/systemd/journal /run/log/journal; do
                mkdir -p "$d"
                mount -t tmpfs -o mode=0755 tmpfs "$d"
            done
            if [ -d /var/log/journal ]; then mount -t tmpfs -o mode=0755 tmpfs /var/log/journal; fi
            /lib/systemd/systemd-journald >'\(log)' 2>&1 &
            journald=$!
            for _ in $(seq 1 \(Int(timeout * 40))); do
                [ -S /run/systemd/journal/socket ] && break
                kill -0 "$journald" 2>/dev/null || break
                sleep 0.025
            done
            if [ ! -S /run/systemd/journal/socket ]; then
                echo "systemd-journald never created /run/systemd/journal/socket" >&2
                kill "$journald" 2>/dev/null || true
                exit 97
            fi
            echo "$journald" > '\(ready).tmp' && mv '\(ready).tmp' '\(ready)'
            # Hold the namespace until our stdin closes (stop(), or this test process dying).
            read -r _ || true
            kill "$journald"
            wait "$journald" || true
            """
        holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        holder.arguments = ["-m", "--propagation", "private", "/bin/bash", "-c", script]
        holderInput = Pipe()
        holder.standardInput = holderInput
        let errors = scratch.path + "/holder.err"
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        holder.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        namespacePID = holder.processIdentifier

        let deadline = Date().addingTimeInterval(timeout + 5)
        while !FileManager.default.fileExists(atPath: ready) {
            if !holder.isRunning || Date() > deadline {
                if holder.isRunning { holder.terminate() }
                holder.waitUntilExit()
                let why = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                let journald = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                scratch.remove()
                throw Failure(
                    description: """
                        private journald did not start (needs root for unshare -m and mount): \
                        \(why.isEmpty ? "no socket within \(timeout) s" : why)\
                        \(journald.isEmpty ? "" : "\njournald said: " + journald)
                        """)
            }
            usleep(10_000)
        }
    }

    deinit {
        stop()
    }

    /// `argv` wrapped to run inside the namespace: `nsenter -t PID -m -- argv…`. Start it with
    /// `Process` (or ``ExternalCommand``) to let a daemon log into this journal.
    public func command(_ argv: [String]) -> [String] {
        ["/usr/bin/nsenter", "-t", String(namespacePID), "-m", "--"] + argv
    }

    /// Runs `/bin/sh -c script` inside the namespace and waits for it.
    @discardableResult
    public func shell(_ script: String, environment: [String: String] = [:], timeout: Double = 60) throws
        -> ExternalCommand.Result
    {
        let argv = command(["/bin/sh", "-c", script])
        return try ExternalCommand.run(
            argv[0], Array(argv.dropFirst()), environment: environment, package: "util-linux", timeout: timeout)
    }

    /// Flushes the journal (`journalctl --sync`) and returns the entries matching `matches`
    /// (journalctl match arguments such as `SITBREAK_EVENT=reminder`), oldest first.
    public func entries(matching matches: [String] = []) throws -> [Entry] {
        let sync = try shell("journalctl --sync")
        guard sync.status == 0 else { throw Failure(description: "journalctl --sync failed: \(sync.output)") }
        let argv = command(["/usr/bin/journalctl", "-o", "json", "--no-pager", "--all"] + matches)
        let read = try ExternalCommand.run(argv[0], Array(argv.dropFirst()), package: "systemd")
        // journalctl exits 1 with "-- No entries --" on some versions when nothing matches.
        guard read.status == 0 || read.stdout.isEmpty else {
            throw Failure(description: "journalctl failed: \(read.output)")
        }
        return try read.stdout.split(separator: "\n").map { line in try Self.parse(String(line)) }
    }

    /// Ends journald and the namespace; idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        try? holderInput.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(10)
        while holder.isRunning && Date() < deadline { usleep(5_000) }
        if holder.isRunning { holder.terminate() }
        holder.waitUntilExit()
        scratch.remove()
    }

    /// One line of `journalctl -o json`. Values are strings, or arrays of byte values when they
    /// hold line feeds or other unprintable bytes, or arrays of those when a field repeats.
    static func parse(_ line: String) throws -> Entry {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Failure(description: "journalctl printed a line that is not a JSON object: \(line)")
        }
        func text(_ value: Any) -> String? {
            if let string = value as? String { return string }
            if let bytes = value as? [Int] {
                return String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
            }
            return nil
        }
        var fields: [String: [String]] = [:]
        for (key, value) in object {
            if let single = text(value) {
                fields[key] = [single]
            } else if let many = value as? [Any] {
                fields[key] = many.compactMap(text)
            }
        }
        return Entry(fields: fields)
    }
}
