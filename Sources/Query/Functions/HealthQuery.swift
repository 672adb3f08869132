import TSDB

/// Latency, error rate and throughput of one service over one window.
public struct HealthSummary: Sendable, Equatable {
    public var service: String, window: Int64, end: Int64
    /// Events (samples of the service's latency series) in [end - window, end).
    public var count: Int64
    public var avgLatencyMs: Double?, p50LatencyMs: Double?, p95LatencyMs: Double?, p99LatencyMs: Double?
    /// 0-100: events with status 5xx ("503", "5xx", "5XX") or error="true", over all events; nil without events.
    public var errorRatePercent: Double?
    /// Events / window seconds.
    public var throughputRps: Double
    /// 100 - errorRatePercent.
    public var availabilityPercent: Double?
    public var resolutions: Set<Resolution>, quantileErrorBound: Double
}

/// Service health from the event (latency) series of a service.
public struct HealthQuery: Sendable {
    public let store: Store
    /// Metric name of the latency series; nil: every event series of the service.
    public let latencyMetric: String?
    public let options: QueryOptions

    /// A health query over `store`.
    public init(store: Store, latencyMetric: String? = nil, options: QueryOptions = QueryOptions()) {
        self.store = store
        self.latencyMetric = latencyMetric
        self.options = options
    }

    /// Health of `service` over [end - window, end).
    public func summary(service: String, end: Int64, window: Int64) throws -> HealthSummary {
        let from = end &- window
        let query = WindowQuery(store: store, options: options)
        var all: [WindowAggregate] = []
        var errors: Int64 = 0
        for info in latencySeries(service) {
            let agg = try query.aggregate(info.ref, from: from, to: end, needsQuantile: true)
            if Self.isError(info.labels) { errors += agg.count }
            all.append(agg)
        }
        let total = WindowAggregate.combined(all)
        let q = total.quantiles([0.5, 0.95, 0.99])
        let errorRate = total.count == 0 ? nil : 100 * Double(errors) / Double(total.count)
        return HealthSummary(
            service: service, window: window, end: end, count: total.count,
            avgLatencyMs: total.avg, p50LatencyMs: q[0], p95LatencyMs: q[1], p99LatencyMs: q[2],
            errorRatePercent: errorRate, throughputRps: window > 0 ? Double(total.count) / (Double(window) / 1000) : 0,
            availabilityPercent: errorRate.map { 100 - $0 },
            resolutions: total.resolutions, quantileErrorBound: total.count == 0 ? 0 : total.quantileErrorBound)
    }

    /// The windows a health summary covers unless asked otherwise: 1m, 5m, 1h.
    public static let standardWindows: [Int64] = [60_000, 300_000, 3_600_000]

    /// One summary per window, all ending at `end`.
    public func summaries(service: String, end: Int64, windows: [Int64] = HealthQuery.standardWindows) throws -> [HealthSummary] {
        try windows.map { try summary(service: service, end: end, window: $0) }
    }

    /// Every service name in the store, sorted.
    public func services() -> [String] { store.labelValues(Labels.service).sorted() }

    /// The service's event series, or its series named `latencyMetric`.
    func latencySeries(_ service: String) -> [SeriesInfo] {
        if let latencyMetric {
            return store.select([.equal(Labels.service, service), .equal(Labels.metricName, latencyMetric)])
        }
        return store.select([.equal(Labels.service, service)]).filter { $0.kind == .event }
    }

    /// A 5xx status ("503", "5xx", "5XX") or error="true": what counts as an error event
    /// (health, error rates, SLO availability).
    public static func isError(_ labels: Labels) -> Bool {
        if labels["error"] == "true" { return true }
        guard let status = labels["status"], status.utf8.count == 3, status.first == "5" else { return false }
        let rest = status.dropFirst()
        return rest.allSatisfy(\.isNumber) || rest == "xx" || rest == "XX"
    }
}
