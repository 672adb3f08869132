import Synchronization

/// Faults a test injects into `FileSystem`: the next matching calls fail with the given errno,
/// as a full disk or a dying device would make them fail.
public final class FaultPlan: Sendable {
    public enum Operation: String, Sendable { case write, fsync, rename, create }

    private struct Rule {
        var operation: Operation
        var errno: Int32
        var remaining: Int  // how many calls still fail; Int.max = until cleared
        var pathContains: String?
    }

    private let rules = Mutex<[Rule]>([])

    public init() {}

    /// Makes the next `times` calls of `operation` (optionally only on paths containing
    /// `pathContains`) fail with `errno`.
    public func fail(_ operation: Operation, errno: Int32, times: Int = .max, pathContains: String? = nil) {
        rules.withLock { $0.append(Rule(operation: operation, errno: errno, remaining: times, pathContains: pathContains)) }
    }

    public func clear() { rules.withLock { $0.removeAll() } }

    func check(_ operation: Operation, path: String) -> Int32? {
        rules.withLock { rules in
            for i in rules.indices where rules[i].operation == operation && rules[i].remaining > 0 {
                if let p = rules[i].pathContains, !path.contains(p) { continue }
                if rules[i].remaining != .max { rules[i].remaining -= 1 }
                return rules[i].errno
            }
            return nil
        }
    }
}
