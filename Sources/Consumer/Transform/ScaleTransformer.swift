import TSDB

/// Multiplies the values of one metric by a factor (unit conversion), optionally renaming it.
public final class ScaleTransformer: MetricTransformer {
    public let metric: String
    public let factor: Double
    public let rename: String?
    public var name: String { "scale(\(metric)*\(factor)\(rename.map { "->" + $0 } ?? ""))" }

    /// Scales `metric` by `factor` and renames it to `rename` when set.
    public init(metric: String, factor: Double, rename: String? = nil) {
        self.metric = metric
        self.factor = factor
        self.rename = rename
    }

    public func apply(_ events: inout [MetricEvent]) {
        for i in events.indices where events[i].labels.metricType == metric {
            events[i].value *= factor
            if let rename { events[i].labels = events[i].labels.withMetricName(rename) }
        }
    }
}
