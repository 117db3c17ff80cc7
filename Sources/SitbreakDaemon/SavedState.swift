import SitbreakEngine
import SitbreakProtocol

/// What `state.json` holds: the engine's snapshot, plus what the next start needs to judge how
/// long the daemon was down (``DaemonCore/downtimeAbsence(after:restart:idleThreshold:)``).
struct SavedState: Hashable, Sendable {
    /// The engine's state.
    var snapshot: EngineSnapshot
    /// The kernel's boot id when the state was saved: tells a restart in the same boot from a
    /// reboot. Nil in files written before it was recorded.
    var bootID: String?
    /// When the daemon stopped cleanly (SIGTERM, SIGINT), saved as its last act; nil when the
    /// daemon was running at the save, so a file found with nil was left by a crash.
    var stoppedAt: Timestamp?

    /// The state file's JSON: the snapshot's fields with `boot_id` and `stopped_at` beside them.
    var json: JSONValue {
        guard case .object(var fields) = snapshot.json else { return snapshot.json }
        fields.append(("boot_id", bootID.map(JSONValue.string) ?? .null))
        fields.append(("stopped_at", stoppedAt.map { .integer($0.secondsSinceEpoch) } ?? .null))
        return .object(fields)
    }

    /// Reads a state file's JSON. Returns the reason when it is not one or holds a value out of
    /// range (``EngineSnapshot/rangeViolation``).
    static func decode(_ json: JSONValue) -> Result<SavedState, StateFileError> {
        guard let snapshot = EngineSnapshot(json: json) else {
            return .failure(StateFileError("it is not a state file of format \(EngineSnapshot.format)"))
        }
        if let problem = snapshot.rangeViolation { return .failure(StateFileError(problem)) }
        var bootID: String?
        if let value = json["boot_id"], value != .null {
            guard let text = value.stringValue, text.utf8.count <= 64 else {
                return .failure(StateFileError("boot_id is not a boot id"))
            }
            bootID = text
        }
        var stoppedAt: Timestamp?
        if let value = json["stopped_at"], value != .null {
            guard let seconds = value.integerValue,
                EngineSnapshot.instants.contains(Timestamp(secondsSinceEpoch: seconds))
            else { return .failure(StateFileError("stopped_at is not an instant between 1970 and 2242")) }
            stoppedAt = Timestamp(secondsSinceEpoch: seconds)
        }
        return .success(SavedState(snapshot: snapshot, bootID: bootID, stoppedAt: stoppedAt))
    }
}

/// Why a state file was set aside.
struct StateFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, in words.
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
