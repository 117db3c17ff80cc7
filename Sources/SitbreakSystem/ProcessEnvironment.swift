// `environ` is a mutable C global, which Swift 6 rejects as shared state; it is only read here,
// and nothing in sitbreak calls `setenv`.
@preconcurrency import Glibc

/// The process environment.
public enum ProcessEnvironment {
    /// Every `NAME=value` entry of `environ`; when a name repeats, the first entry wins, as with
    /// `getenv`.
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        guard var entry = table else { return result }
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                if result[name] == nil { result[name] = String(text[text.index(after: equals)...]) }
            }
            entry += 1
        }
        return result
    }
}
