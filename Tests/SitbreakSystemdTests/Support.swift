import Foundation
import SitbreakTesting
import Testing

/// The repository's root, from this file's path.
let repositoryRoot: String = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

/// The text of a file in the repository.
func repositoryFile(_ relativePath: String) throws -> String {
    try String(contentsOfFile: repositoryRoot + "/" + relativePath, encoding: .utf8)
}

/// `systemd-analyze` with a private 0700 `XDG_RUNTIME_DIR` (user-mode tools insist on one).
func systemdAnalyze(_ arguments: [String], runtimeDirectory: String) throws -> ExternalCommand.Result {
    try ExternalCommand.run(
        "/usr/bin/systemd-analyze", arguments, environment: ["XDG_RUNTIME_DIR": runtimeDirectory], package: "systemd")
}

/// A new temporary directory with mode 0700 inside `parent`.
func privateDirectory(in parent: TemporaryDirectory, _ name: String) throws -> String {
    let path = parent.path + "/" + name
    try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return path
}

/// The directory holding the built products (`sitbreakd`, `sitbreakctl`): beside the test bundle,
/// where `swift build --build-tests` puts every product.
func builtProductsDirectory() throws -> String {
    let bundle = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var candidates = [URL(fileURLWithPath: bundle).deletingLastPathComponent().path]
    candidates.append(repositoryRoot + "/.build/debug")
    let found = candidates.first { directory in
        ["sitbreakd", "sitbreakctl"].allSatisfy { FileManager.default.isExecutableFile(atPath: directory + "/" + $0) }
    }
    return try #require(
        found,
        "sitbreakd and sitbreakctl are not built beside the tests (looked in \(candidates)); run `swift build --build-tests`"
    )
}
