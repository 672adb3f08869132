import TSDB

/// The health document of a service: what `/api/v1/health/<service>` answers and what the Redis
/// mirror pushes to `metrics:health:<service>`. Per window (1m, 5m, 1h) the latency, error and
/// throughput figures and the composite `health_score` (0-100, null without events; formula in
/// docs/ALERTS.md).
extension HealthQuery {
    /// `{"service","timestamp","windows":{"1m":{...},"5m":{...},"1h":{...}}}` over
    /// `standardWindows` ending at `end`.
    public func document(service: String, end: Int64, targets: HealthTargets = HealthTargets()) throws -> String {
        Self.documentJSON(service: service, end: end, try summaries(service: service, end: end), targets: targets)
    }

    /// A service's health document ending at a time, or nil when it cannot be computed: the
    /// closure the Redis mirror stage is given.
    public static func documents(store: Store, targets: HealthTargets = HealthTargets()) -> @Sendable (String, Int64) -> String? {
        let query = HealthQuery(store: store)
        return { service, end in try? query.document(service: service, end: end, targets: targets) }
    }

    /// The document of `summaries` (one per window, all ending at `end`).
    public static func documentJSON(service: String, end: Int64, _ summaries: [HealthSummary], targets: HealthTargets = HealthTargets())
        -> String
    {
        var w = PromJSON()
        w.raw("{\"service\":")
        w.string(service)
        w.raw(",\"timestamp\":" + PromFormat.timestamp(end) + ",\"windows\":{")
        for (i, s) in summaries.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(StoreOptions.formatDuration(s.window))
            w.raw(":{\"avg_latency_ms\":" + PromFormat.jsonNumber(s.avgLatencyMs))
            w.raw(",\"p50_latency_ms\":" + PromFormat.jsonNumber(s.p50LatencyMs))
            w.raw(",\"p95_latency_ms\":" + PromFormat.jsonNumber(s.p95LatencyMs))
            w.raw(",\"p99_latency_ms\":" + PromFormat.jsonNumber(s.p99LatencyMs))
            w.raw(",\"error_rate_percent\":" + PromFormat.jsonNumber(s.errorRatePercent))
            w.raw(",\"throughput_rps\":" + PromFormat.jsonNumber(s.throughputRps))
            w.raw(",\"availability_percent\":" + PromFormat.jsonNumber(s.availabilityPercent))
            w.raw(",\"health_score\":" + PromFormat.jsonNumber(HealthScore.compute(s, targets: targets)?.score))
            w.raw(",\"count\":\(s.count),\"resolutions\":")
            w.strings(PromJSON.names(s.resolutions))
            w.raw(",\"quantile_error_bound\":" + PromFormat.jsonNumber(s.quantileErrorBound) + "}")
        }
        w.raw("}}")
        return w.text
    }
}
