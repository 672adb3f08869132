import Query
import TSDB

/// What one rule's evaluation did.
public enum RecordingOutcome: Sendable, Equatable {
    /// `samples` were stored (`rejected` more were refused by the store).
    case recorded(samples: Int, rejected: Int)
    /// Already evaluated at this time or later: nothing stored.
    case skippedDuplicate
    /// The expression or the store failed; counted in the rule's stats.
    case failed(String)
}

/// Health of one recording rule, for inspection.
public struct RecordingRuleStats: Sendable, Equatable {
    /// Latest evaluation time (successful or not).
    public var lastEvaluated: Int64?
    public var evaluations = 0
    public var samplesWritten = 0
    /// Samples the store refused (invalid labels, too old, cardinality limit).
    public var samplesRejected = 0
    /// Evaluations that failed (bad expression, wrong result type, store error).
    public var failures = 0
    public var duplicates = 0
    public var lastError: String?
}

/// Evaluates recording rules on schedule and appends their output to the store.
///
/// Idempotence: each rule remembers the last time it was evaluated and skips any time at or
/// before it (`skippedDuplicate`); across restarts the store does the same, since every append
/// carries the source position `recording/<rule labels>` = t and the store drops a batch whose
/// position is already recorded. Errors are counted per rule (`stats`), never thrown.
public struct RecordingRuleRunner: Sendable {
    public let store: Store
    public let engine: PromQLEngine
    public private(set) var rules: [RecordingRule]
    /// One entry per rule, in `rules` order.
    public private(set) var stats: [RecordingRuleStats]

    /// A runner for `rules` over `store`; queries use `options`.
    public init(store: Store, rules: [RecordingRule], options: QueryOptions = QueryOptions()) {
        self.store = store
        engine = PromQLEngine(store: store, options: options)
        self.rules = rules
        stats = Array(repeating: RecordingRuleStats(), count: rules.count)
    }

    /// The stats of the first rule named `name`.
    public func stats(named name: String) -> RecordingRuleStats? {
        rules.firstIndex { $0.name == name }.map { stats[$0] }
    }

    /// Whether rule `index` is due at `t`: never evaluated, or its interval has passed.
    public func isDue(_ index: Int, at t: Int64) -> Bool {
        guard let last = stats[index].lastEvaluated else { return true }
        return t > last && t &- last >= rules[index].interval
    }

    /// Evaluates every due rule at `t`; returns (rule index, outcome) per evaluated rule.
    public mutating func runDue(at t: Int64) -> [(index: Int, outcome: RecordingOutcome)] {
        rules.indices.filter { isDue($0, at: t) }.map { ($0, evaluate($0, at: t)) }
    }

    /// Evaluates rule `index` at `t` whether due or not (still skipped when `t` is not after
    /// its last evaluation).
    public mutating func evaluate(_ index: Int, at t: Int64) -> RecordingOutcome {
        if let last = stats[index].lastEvaluated, t <= last {
            stats[index].duplicates += 1
            return .skippedDuplicate
        }
        stats[index].lastEvaluated = t
        stats[index].evaluations += 1
        let outcome = record(rules[index], at: t)
        switch outcome {
        case .recorded(let samples, let rejected):
            stats[index].samplesWritten += samples
            stats[index].samplesRejected += rejected
        case .skippedDuplicate:
            stats[index].duplicates += 1
        case .failed(let message):
            stats[index].failures += 1
            stats[index].lastError = message
        }
        return outcome
    }

    /// Runs the query and appends its output.
    private func record(_ rule: RecordingRule, at t: Int64) -> RecordingOutcome {
        let value: QueryValue
        do {
            value = try engine.instant(rule.expression, at: t).0
        } catch {
            return .failed("\(rule.name): \(error.message)")
        }
        var batch = WriteBatch()
        switch value {
        case .scalar(_, let v): batch.append(rule.recordedLabels(Labels([Label]())), t, v)
        case .vector(let samples): for s in samples { batch.append(rule.recordedLabels(s.labels), t, s.v) }
        case .matrix, .string: return .failed("\(rule.name): expression must yield an instant vector or a scalar")
        }
        // Nothing to store; the in-memory last time alone keeps this evaluation from repeating.
        if batch.isEmpty { return .recorded(samples: 0, rejected: 0) }
        let result: AppendResult
        do {
            result = try store.append(batch, sources: [rule.sourceKey: t])
        } catch {
            return .failed("\(rule.name): store: \(error)")
        }
        if result.duplicate { return .skippedDuplicate }
        return .recorded(samples: result.accepted, rejected: result.rejectedCount)
    }
}
