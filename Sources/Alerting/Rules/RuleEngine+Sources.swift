import Query
import TSDB

/// One alert instance a rule evaluation produced: its identity and current value.
struct RuleOutput {
    var key: String
    var labels: [String: String]
    var service: String?
    /// nil: no data this evaluation.
    var value: Double?
    var baseline: Double?
}

/// Health summaries computed during one evaluation round, shared by the rules that need them.
struct HealthCache {
    let store: Store
    let options: QueryOptions
    private var summaries: [HealthKey: HealthSummary] = [:]

    private struct HealthKey: Hashable {
        var service: String, metric: String?, end: Int64, window: Int64
    }

    init(store: Store, options: QueryOptions) {
        self.store = store
        self.options = options
    }

    mutating func summary(service: String, latencyMetric: String?, end: Int64, window: Int64) throws -> HealthSummary {
        let k = HealthKey(service: service, metric: latencyMetric, end: end, window: window)
        if let s = summaries[k] { return s }
        let s = try HealthQuery(store: store, latencyMetric: latencyMetric, options: options)
            .summary(service: service, end: end, window: window)
        summaries[k] = s
        return s
    }

    /// The 1m/5m/1h health of `service`, keyed by window name; nil for a service the store never saw.
    mutating func snapshot(service: String, end: Int64) -> [String: HealthWindow]? {
        guard store.labelValues(Labels.service).contains(service) else { return nil }
        var out: [String: HealthWindow] = [:]
        for w in RuleEngine.healthWindows {
            guard let s = try? summary(service: service, latencyMetric: nil, end: end, window: w) else { return nil }
            out[StoreOptions.formatDuration(w)] = HealthWindow(s)
        }
        return out
    }
}

/// The error of one rule evaluation.
public struct RuleEvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: String
    public var message: String
    public var description: String { "rule \(rule): \(message)" }
}

extension RuleEngine {
    /// Windows of the health snapshot attached to notifications.
    public static let healthWindows: [Int64] = HealthQuery.standardWindows

    /// `name{k="v",...}` with labels sorted: the identity of one alert.
    public static func alertKey(rule: String, labels: [String: String]) -> String {
        rule + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
    }

    /// Evaluates one rule at `time` into its alert instances; a failing expression yields none, a
    /// failing service is "no data" (both reported in `errors`).
    func outputs(of rule: AlertRule, at time: Int64, cache: inout HealthCache, errors: inout [RuleEvaluationError]) -> [RuleOutput] {
        switch rule.kind {
        case .expression(let expr):
            let value: QueryValue
            do {
                value = try PromQLEngine(store: store, options: queryOptions).instant(expr, at: time).0
            } catch {
                errors.append(RuleEvaluationError(rule: rule.name, message: error.message))
                return []
            }
            switch value {
            case .scalar(_, let v):
                return [RuleOutput(key: Self.alertKey(rule: rule.name, labels: [:]), labels: rule.labels, service: nil, value: v)]
            case .vector(let samples):
                return samples.map { s in
                    var own: [String: String] = [:]
                    for p in s.labels.pairs where p.name != Labels.metricName { own[p.name] = p.value }
                    let merged = rule.labels.merging(own) { _, series in series }
                    return RuleOutput(
                        key: Self.alertKey(rule: rule.name, labels: own), labels: merged, service: own[Labels.service], value: s.v)
                }
            case .matrix, .string:
                errors.append(RuleEvaluationError(rule: rule.name, message: "expression must yield a scalar or an instant vector"))
                return []
            }
        case .health(let metric, let services):
            let names = services ?? store.labelValues(Labels.service).sorted()
            var out: [RuleOutput] = []
            out.reserveCapacity(names.count)
            for service in names {
                let key = Self.alertKey(rule: rule.name, labels: [Labels.service: service])
                var labels = rule.labels
                labels[Labels.service] = service
                do {
                    let current = try cache.summary(service: service, latencyMetric: rule.latencyMetric, end: time, window: rule.window)
                    let base =
                        metric.needsBaseline
                        ? try cache.summary(
                            service: service, latencyMetric: rule.latencyMetric, end: time &- rule.window, window: rule.baseline)
                        : nil
                    let baseline = base.flatMap { $0.count > 0 ? $0.throughputRps : nil }
                    out.append(
                        RuleOutput(
                            key: key, labels: labels,
                            service: service, value: metric.value(current: current, baseline: base), baseline: baseline))
                } catch {
                    errors.append(RuleEvaluationError(rule: rule.name, message: "service \(service): \(error)"))
                    out.append(RuleOutput(key: key, labels: labels, service: service, value: nil, baseline: nil))
                }
            }
            return out
        }
    }
}
