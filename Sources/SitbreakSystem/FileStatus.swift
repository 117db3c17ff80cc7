import Glibc

/// What the file system says about a path, without opening it.
public enum FileStatus {
    /// Whether anything (a file, a directory, a dangling link's target excluded) exists at `path`.
    ///
    /// Used to tell "no configuration file, use the built-in default" from "a configuration file
    /// that cannot be read", which is an error.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
