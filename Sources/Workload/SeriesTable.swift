import TSDB

/// Whether a series holds per-request events (irregular timestamps) or regular gauge/counter samples.
public enum SeriesKind: Sendable, Hashable {
    case event
    case regular
}

/// The gauge and counter metrics of each service, in series-layout order.
enum GaugeMetric: Int, CaseIterable {
    case cpuUsagePercent, memoryUsageBytes, queueDepth, requestsTotal, errorsTotal, gcPauseMs

    var metricName: String {
        switch self {
        case .cpuUsagePercent: "cpu_usage_percent"
        case .memoryUsageBytes: "memory_usage_bytes"
        case .queueDepth: "queue_depth"
        case .requestsTotal: "requests_total"
        case .errorsTotal: "errors_total"
        case .gcPauseMs: "gc_pause_ms"
        }
    }
}

/// Every series the workload can emit, laid out per service: first one `api_latency_ms` series per
/// (endpoint, status), then one series per `GaugeMetric`.
struct SeriesTable: Sendable {
    var labels: [Labels] = []
    var kinds: [SeriesKind] = []
    /// Index of each service's first latency series; its latency series are
    /// `eventBase + endpoint * statuses.count + status`.
    var eventBase: [Int32] = []
    /// Index of each service's first gauge series; gauge `m` is `gaugeBase + m.rawValue`.
    var gaugeBase: [Int32] = []

    init(profiles: [ServiceProfile]) {
        for profile in profiles {
            eventBase.append(Int32(labels.count))
            for endpoint in profile.endpoints {
                for status in ServiceCatalog.statuses {
                    labels.append(
                        Labels(
                            type: ServiceCatalog.latencyMetric, service: profile.name,
                            tags: ["endpoint": endpoint.path, "status": status]))
                    kinds.append(.event)
                }
            }
            gaugeBase.append(Int32(labels.count))
            for metric in GaugeMetric.allCases {
                labels.append(Labels(type: metric.metricName, service: profile.name))
                kinds.append(.regular)
            }
        }
    }
}
