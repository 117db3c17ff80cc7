import Foundation
import SitbreakTesting
import Testing

/// Runs the built `sitbreakctl` binary, as a person or a script would.
enum Sitbreakctl {
    /// What a run left behind.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary: `$SITBREAKCTL` if set, else beside the test bundle in the build products
    /// directory (`swift build --build-tests` builds every product there), else `.build/debug`.
    static let path: String? = {
        if let explicit = ProcessInfo.processInfo.environment["SITBREAKCTL"] {
            return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil
        }
        var candidates: [String] = []
        if let bundle = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: bundle).deletingLastPathComponent().path + "/sitbreakctl")
        }
        let root = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.path + "/.build/debug/sitbreakctl")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs `sitbreakctl ARGUMENTS` in `directory` with `TZ` (UTC unless given) and `environment`.
    static func run(
        _ arguments: [String], in directory: String? = nil, tz: String = "UTC", environment: [String: String] = [:]
    ) throws -> Result {
        let binary = try #require(
            path,
            Comment(
                rawValue:
                    "sitbreakctl is not built: looked at $SITBREAKCTL, beside the test bundle and in .build/debug; "
                    + "run `swift build --build-tests` (make test does) or set SITBREAKCTL")
        )
        let scratch = try TemporaryDirectory(prefix: "sitbreakctl-tests")
        defer { scratch.remove() }
        let out = scratch.path + "/stdout"
        let err = scratch.path + "/stderr"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: err))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        // A controlled environment: the test runner's own TZ or XDG paths must not leak in.
        var env = ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "TZ": tz]
        env.merge(environment) { _, new in new }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: out, encoding: .utf8),
            stderr: try String(contentsOfFile: err, encoding: .utf8))
    }
}
