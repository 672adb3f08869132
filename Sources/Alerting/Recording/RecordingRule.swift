import TSDB

/// A PromQL expression evaluated periodically and stored as a new series (Prometheus' recording rule).
///
/// Each output sample is stored with the output's labels, `__name__` set to `name`, then
/// `labels` applied on top (they win over output labels of the same name). A scalar result
/// becomes one series with just `__name__` and `labels`.
public struct RecordingRule: Sendable, Equatable {
    /// `__name__` of the recorded series.
    public var name: String
    /// PromQL expression evaluated at each evaluation time.
    public var expression: String
    /// Time between evaluations (ms).
    public var interval: Int64
    /// Extra labels added to every recorded series.
    public var labels: [String: String]

    /// A rule; the interval defaults to one minute.
    public init(name: String, expression: String, interval: Int64 = StoreOptions.minute, labels: [String: String] = [:]) {
        self.name = name
        self.expression = expression
        self.interval = interval
        self.labels = labels
    }

    /// The labels an output sample with `outputLabels` is stored under.
    public func recordedLabels(_ outputLabels: Labels) -> Labels {
        var pairs = outputLabels.pairs.filter { $0.name != Labels.metricName && labels[$0.name] == nil }
        pairs.append(Label(Labels.metricName, name))
        for (k, v) in labels where k != Labels.metricName { pairs.append(Label(k, v)) }
        return Labels(pairs)
    }

    /// Source-position key of this rule's appends: the store skips a batch of an already
    /// recorded evaluation time under this key (idempotence that survives restarts).
    var sourceKey: String { "recording/" + recordedLabels(Labels([Label]())).description }
}

extension RecordingRule {
    /// Recommendation quality, 0-100: share of successful requests of recommendation-api over
    /// 5 m (from the `requests_total` / `errors_total` counters) times a latency factor that is 1
    /// while the mean `api_latency_ms` is at most 250 ms and 250 / mean beyond.
    public static let recommendationQuality = RecordingRule(
        name: "recommendation_quality_score",
        expression: """
            100 * (1 - rate(errors_total{service="recommendation-api"}[5m]) / rate(requests_total{service="recommendation-api"}[5m])) \
            * clamp_max(250 / (sum by (service) (sum_over_time(api_latency_ms{service="recommendation-api"}[5m])) \
            / sum by (service) (count_over_time(api_latency_ms{service="recommendation-api"}[5m]))), 1)
            """,
        labels: ["kpi": "business"])

    /// System efficiency per service: requests per second per CPU percent point over 5 m
    /// (`requests_total` rate over mean `cpu_usage_percent`, the CPU floored at 1 %).
    public static let systemEfficiency = RecordingRule(
        name: "system_efficiency_score",
        expression: """
            sum by (service) (rate(requests_total[5m])) / clamp_min(sum by (service) (avg_over_time(cpu_usage_percent[5m])), 1)
            """,
        labels: ["kpi": "business"])

    /// The two example business KPIs of the default configuration.
    public static let examples: [RecordingRule] = [recommendationQuality, systemEfficiency]
}
