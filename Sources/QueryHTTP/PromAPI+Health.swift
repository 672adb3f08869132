import Query
import TSDB

/// `/api/v1/health/<service>`: the service's latency, error and throughput summary.
extension PromAPI {
    /// Windows reported, keyed by their names in the JSON.
    public static let healthWindows: [Int64] = [60_000, 300_000, 3_600_000]

    /// `{"service","timestamp","windows":{"1m":{...},"5m":{...},"1h":{...}}}` at `time` (default now);
    /// 404 for a service the store has never seen.
    public func health(service: String, _ p: FormParameters, now: Int64 = PromTime.now()) -> APIResponse {
        let end: Int64
        switch time(p, "time", default: now) {
        case .success(let t): end = t
        case .failure(let e): return e.response
        }
        guard healthQuery.services().contains(service) else {
            return APIResponse(status: 404, body: PromJSON.error(type: "not_found", message: "unknown service \"\(service)\""))
        }
        let summaries: [HealthSummary]
        do {
            summaries = try healthQuery.summaries(service: service, end: end, windows: PromAPI.healthWindows)
        } catch {
            return APIResponse(status: 422, body: PromJSON.error(type: "execution", message: "\(error)"))
        }
        return .ok(PromAPI.healthJSON(service: service, end: end, summaries, targets: healthTargets))
    }

    /// A service's health document over `healthWindows` ending at a time, or nil when it cannot
    /// be computed: what the Redis mirror pushes to `metrics:health:<service>`.
    public static func healthDocuments(store: Store, targets: HealthTargets = HealthTargets()) -> @Sendable (String, Int64) -> String? {
        let query = HealthQuery(store: store)
        return { service, end in
            (try? query.summaries(service: service, end: end, windows: healthWindows)).map {
                healthJSON(service: service, end: end, $0, targets: targets)
            }
        }
    }

    /// The health document of `/api/v1/health/<service>` and `metrics:health:<service>`: per
    /// window the latency/error/throughput figures and the composite `health_score` (0-100,
    /// null without events; formula in docs/ALERTS.md).
    public static func healthJSON(service: String, end: Int64, _ summaries: [HealthSummary], targets: HealthTargets = HealthTargets())
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
