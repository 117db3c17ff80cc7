import Foundation
import SitbreakSystem

/// A non-root account for fixtures that must not run as root (a Wayland compositor): the system
/// user `sitbreak-test`, created on first use when the tests run as root (as in CI); when they
/// run as an ordinary user, that user.
public struct TestUser: Sendable {
    /// The account's name.
    public var name: String
    /// Its uid.
    public var uid: uid_t
    /// Its primary gid.
    public var gid: gid_t
    /// Its home directory.
    public var home: String

    /// The account fixtures run as when the tests run as root.
    public static let systemUserName = "sitbreak-test"

    /// Whether the tests run as root, so fixtures switch to ``systemUserName``.
    public static var testsRunAsRoot: Bool { geteuid() == 0 }

    /// The user fixtures run as: `sitbreak-test` (created if missing) under root, else oneself.
    public static func forFixtures() throws -> TestUser {
        guard testsRunAsRoot else {
            guard let me = lookUp(uid: geteuid()) else { throw Failure("uid \(geteuid()) has no passwd entry") }
            return me
        }
        if let existing = lookUp(name: systemUserName) { return existing }
        let result = try ExternalCommand.run(
            "/usr/sbin/useradd",
            [
                "--system", "--create-home", "--home-dir", "/var/lib/" + systemUserName, "--shell",
                "/usr/sbin/nologin", "--comment", "sitbreak test fixtures", systemUserName,
            ], package: "passwd")
        // Another test may have created it at the same moment.
        guard let created = lookUp(name: systemUserName) else {
            throw Failure("creating the test user \(systemUserName) failed (\(result.status)): \(result.output)")
        }
        return created
    }

    /// The prefix that runs a command as this user: `setpriv` when the tests run as root, nothing
    /// otherwise.
    public var commandPrefix: [String] {
        guard Self.testsRunAsRoot else { return [] }
        return ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--init-groups", "--"]
    }

    /// Gives `path` to this user (it must be root's to give).
    public func own(_ path: String) throws {
        guard Self.testsRunAsRoot else { return }
        guard chown(path, uid, gid) == 0 else {
            throw Failure(SystemError.errno("chown \(path) to \(name)").description)
        }
    }

    private static func lookUp(name: String) -> TestUser? {
        lookUp { getpwnam_r(name, &$0, $1, $2, &$3) }
    }

    private static func lookUp(uid: uid_t) -> TestUser? {
        lookUp { getpwuid_r(uid, &$0, $1, $2, &$3) }
    }

    /// The reentrant lookups (tests run in parallel; getpwnam's buffer is shared).
    private static func lookUp(
        _ call: (inout passwd, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<passwd>?) -> Int32
    ) -> TestUser? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        return buffer.withUnsafeMutableBufferPointer {
            // The strings point into the buffer: copied before it goes.
            guard call(&entry, $0.baseAddress!, $0.count, &found) == 0, found != nil else { return nil }
            return TestUser(entry)
        }
    }

    private init(_ entry: passwd) {
        name = String(cString: entry.pw_name)
        uid = entry.pw_uid
        gid = entry.pw_gid
        home = String(cString: entry.pw_dir)
    }

    /// A fixture could not get its user.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
