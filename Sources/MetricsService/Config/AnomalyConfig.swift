import Alerting

/// The `anomaly:` section: which series the anomaly detector scores and how.
public struct AnomalyConfig: Sendable, Equatable {
    /// Whether the detector runs at all.
    public var enabled = true
    /// Time between scoring rounds (ms); also the spacing of the points scored.
    public var evaluationInterval: Int64 = 60_000
    /// Per-service health figures scored.
    public var metrics: [HealthMetric] = [.p99LatencyMs, .errorRate, .throughputRps]
    /// Gauge metric names (`__name__`) scored per series, as 1-minute averages.
    public var series: [String] = []
    /// Detector and alerter tuning.
    public var settings = DetectorSettings()

    /// The defaults.
    public init() {}
}
