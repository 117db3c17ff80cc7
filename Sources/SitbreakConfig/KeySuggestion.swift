/// Finds the valid key a misspelt one was probably meant to be.
enum KeySuggestion {
    /// The key of `candidates` closest to `key`: within two edits (a swap of neighbours counts
    /// as one), or else one that contains `key` or is contained in it, so that `idle` suggests
    /// `idle_threshold`. Nil when nothing is close, so that a wild guess is never offered.
    static func closest(to key: String, among candidates: [String]) -> String? {
        // No key or source name is half this long: a longer one is no misspelling, and checking
        // it would cost time in proportion to its length (a megabyte-long key took 16 s).
        guard key.utf8.count <= 64 else { return nil }
        let typed = Array(key.lowercased().unicodeScalars)
        let limit = min(2, max(1, typed.count / 3))
        // The distance is at least the difference in length: skip candidates that cannot be close.
        let scored = candidates.compactMap { candidate -> (candidate: String, distance: Int)? in
            let scalars = Array(candidate.unicodeScalars)
            guard abs(scalars.count - typed.count) <= limit else { return nil }
            return (candidate, distance(typed, scalars))
        }
        if let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= limit {
            return best.candidate
        }
        guard typed.count >= 4 else { return nil }
        let lowered = key.lowercased()
        return candidates.first { $0.contains(lowered) || lowered.contains($0) }
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbouring characters each cost one.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }
}
