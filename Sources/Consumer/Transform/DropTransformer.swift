import TSDB

/// Drops the events of one metric (or of any metric) whose labels match.
public final class DropTransformer: MetricTransformer {
    /// Metric whose events are dropped; nil: any metric.
    public let metric: String?
    private let match: LabelMatch
    public var name: String { "drop(\(metric ?? "*")\(match.pairs.isEmpty ? "" : " " + Labels(match.pairs).description))" }

    /// Drops events of `metric` (any when nil) carrying every pair of `match`; with neither, drops everything.
    public init(metric: String?, match: [String: String] = [:]) {
        self.metric = metric
        self.match = LabelMatch(match)
    }

    public func apply(_ events: inout [MetricEvent]) {
        events.removeAll { e in
            if let metric, e.labels.metricType != metric { return false }
            return match.matches(e.labels)
        }
    }
}
