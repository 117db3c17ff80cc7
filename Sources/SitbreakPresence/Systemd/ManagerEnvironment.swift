/// The part of the user service manager's environment block that decides which presence sources
/// can work (`DISPLAY`, `WAYLAND_DISPLAY`, …), and how its changes update the environment the
/// sources are started with. Pure: no bus, no process environment.
///
/// A daemon started at login, before the desktop ran `systemctl --user import-environment
/// DISPLAY`, has no `DISPLAY` of its own; the manager's block gets it later. The rule: at the
/// first reading the manager only fills variables the daemon's own environment lacks (a daemon
/// started by hand in another display keeps its own); afterwards every change the manager makes
/// to a watched variable (set, changed or unset) is followed.
public struct ManagerEnvironment: Equatable, Sendable {
    /// The variables the presence sources read at start (x11: `DISPLAY`, and `WAYLAND_DISPLAY` to
    /// refuse Xwayland; swayidle: `WAYLAND_DISPLAY`), and the session type, in the order logged.
    public static let watchedVariables = ["DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"]

    /// The watched variables the manager's block sets (absent: not set there).
    public var values: [String: String]

    /// The watched variables of `assignments`, the manager's `Environment` property (`NAME=value`
    /// strings); entries without `=` are ignored, and a later assignment wins.
    public init(assignments: [String]) {
        var values: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            let name = String(assignment[..<equals])
            guard Self.watchedVariables.contains(name) else { continue }
            values[name] = String(assignment[assignment.index(after: equals)...])
        }
        self.values = values
    }

    /// Creates a reading from watched values directly.
    public init(values: [String: String]) {
        self.values = values
    }

    /// What a new reading changes in `environment`, given the `previous` reading (nil: this is the
    /// first): the updated environment and the variables that changed in it, in
    /// ``watchedVariables`` order. An empty value counts as unset.
    public func apply(to environment: [String: String], previous: ManagerEnvironment?) -> (
        environment: [String: String], changed: [String]
    ) {
        var updated = environment
        for name in Self.watchedVariables {
            let new = values[name].flatMap { $0.isEmpty ? nil : $0 }
            if let previous {
                let old = previous.values[name].flatMap { $0.isEmpty ? nil : $0 }
                guard new != old else { continue }
                updated[name] = new
            } else if let new, (environment[name] ?? "").isEmpty {
                updated[name] = new
            }
        }
        let changed = Self.watchedVariables.filter { (environment[$0] ?? "") != (updated[$0] ?? "") }
        return (updated, changed)
    }

    /// The journal's words for a change: `DISPLAY=:1, WAYLAND_DISPLAY unset`.
    public static func describe(_ changed: [String], in environment: [String: String]) -> String {
        changed.map { name in environment[name].map { "\(name)=\($0)" } ?? "\(name) unset" }.joined(separator: ", ")
    }
}
