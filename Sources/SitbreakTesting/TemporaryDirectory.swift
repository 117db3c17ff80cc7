import Foundation

/// A fresh directory under the system's temporary directory for one test, removed by
/// ``remove()``.
public struct TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates the directory; `prefix` names the suite in its name, to find leftovers.
    /// With `parent`, the directory is made there instead (a unit with `PrivateTmp=` cannot see
    /// the system's temporary directory).
    public init(prefix: String = "sitbreak-tests", in parent: String? = nil) throws {
        path = (parent.map { $0 + "/" } ?? NSTemporaryDirectory()) + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` inside the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let file = path + "/" + name
        try contents.write(toFile: file, atomically: false, encoding: .utf8)
        return file
    }

    /// Removes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
