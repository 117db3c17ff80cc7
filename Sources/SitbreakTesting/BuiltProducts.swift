import Foundation

/// Finds the executables `swift build --build-tests` put beside the test bundle.
public enum BuiltProducts {
    /// The executable `name` (`sitbreakd`, `sitbreakctl`): `$NAME` uppercased if set, else beside
    /// the running test binary, else `.build/debug/NAME` of this repository; nil when not built.
    public static func path(_ name: String) -> String? {
        if let explicit = ProcessInfo.processInfo.environment[name.uppercased()] {
            return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil
        }
        var candidates: [String] = []
        if let running = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: running).deletingLastPathComponent().path + "/" + name)
        }
        candidates.append(repositoryRoot + "/.build/debug/" + name)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The repository's root, found from this source file's path.
    public static let repositoryRoot: String = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// `path(name)`, or an error that says how to build it.
    public static func require(_ name: String) throws -> String {
        guard let found = path(name) else {
            throw LineSocketError(
                message: "\(name) is not built: looked at $\(name.uppercased()), beside the test binary and in "
                    + ".build/debug; run `swift build --build-tests` (make test does)")
        }
        return found
    }
}
