import CLinux

/// What a long-running process can give back once it has started.
public enum ProcessMemory {
    /// Unmaps the pages of every loaded object's read-only segments (code, constants, symbol
    /// tables); the kernel maps each again from its file when it is next used.
    ///
    /// Why: start-up (relocation, configuration, probing the presence sources, opening the history
    /// store) runs code a waiting process never needs again, and the kernel maps file pages 64 KiB
    /// at a time around each page touched. Measured on `sitbreakd`, this halves the idle RSS at
    /// start and keeps it ~3 MiB lower after requests (docs/design.md §7). Writable segments
    /// (relocated data, variables) are never touched, so nothing is lost; the pages stay in the
    /// page cache, so the next use costs a minor fault, not a read.
    /// - Returns: the bytes advised.
    @discardableResult
    public static func releaseReadOnlyPages() throws(SystemError) -> Int {
        let result = sitbreak_release_read_only_pages()
        if result < 0 { throw SystemError("madvise", code: Int32(-result)) }
        return result
    }
}
