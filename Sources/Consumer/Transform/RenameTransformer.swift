import TSDB

/// Renames one metric: events whose `__name__` is `metric` get `to`.
public final class RenameTransformer: MetricTransformer {
    public let metric: String
    public let to: String
    public var name: String { "rename(\(metric)->\(to))" }

    /// Renames `metric` to `to`.
    public init(metric: String, to: String) {
        self.metric = metric
        self.to = to
    }

    public func apply(_ events: inout [MetricEvent]) {
        for i in events.indices where events[i].labels.metricType == metric {
            events[i].labels = events[i].labels.withMetricName(to)
        }
    }
}
