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

    /// The last access time of `path` (`st_atim`) in CLOCK_REALTIME nanoseconds since the epoch,
    /// or nil when it cannot be read.
    ///
    /// For a terminal device this is the last time anyone read from it: the last keystroke.
    public static func accessTimeNanoseconds(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_atim.tv_sec) * 1_000_000_000 + Int64(info.st_atim.tv_nsec)
    }
}
