import Alerting
import Query
import TSDB

/// Streaming anomaly detection inside the service: every `evaluationInterval`, one point per
/// watched series (each service's health figures over the interval, each configured gauge's
/// average over it) goes through that series' `AnomalyDetector` (gauges compare against the same
/// time of day in the rollups of previous days); the score then goes through the
/// rule engine as alert `anomaly:<figure>:<series>`, so anomalies share the alert lifecycle,
/// deduplication, cool-down and storm cap. Memory is bounded by `maxSeries` detectors.
struct AnomalyWatch: Sendable {
    let config: AnomalyConfig
    /// Most series watched at once; new series beyond it are not scored (counted).
    var maxSeries = 10_000
    private(set) var detectors: [String: AnomalyDetector] = [:]
    private(set) var skippedSeries = 0

    init(config: AnomalyConfig) { self.config = config }

    /// The health figure's name as the config file writes it (`p99_latency_ms`, ...).
    static func name(_ m: HealthMetric) -> String {
        ServiceFileConfig.healthMetricNames.first { $0.1 == m }?.0 ?? m.rawValue
    }

    /// The alert thresholds on the score: warning at `alertScore`, critical at `criticalScore`,
    /// resolved below `resolveScore`, after `forDuration`.
    var thresholds: AlertThresholds {
        let s = config.settings
        return AlertThresholds(
            direction: .above, warning: s.alertScore, critical: s.criticalScore, resolve: s.resolveScore, forDuration: s.forDuration)
    }

    /// Scores one point per watched series at `now`; returns the notifications and the points scored.
    mutating func score(store: Store, engine: inout RuleEngine, at now: Int64) -> ([AlertNotification], Int) {
        let window = config.evaluationInterval
        var points: [(key: String, labels: [String: String], value: Double, ref: SeriesRef?)] = []
        let health = HealthQuery(store: store)
        for service in health.services() {
            guard let summary = try? health.summary(service: service, end: now, window: window), summary.count > 0 else { continue }
            for metric in config.metrics where !metric.needsBaseline {
                guard let v = metric.value(current: summary, baseline: nil) else { continue }
                let figure = Self.name(metric)
                points.append(("anomaly:\(figure):\(service)", ["service": service, "figure": figure], v, nil))
            }
        }
        let query = WindowQuery(store: store)
        for name in config.series {
            for info in store.select([.equal(Labels.metricName, name)]) {
                guard let avg = (try? query.aggregate(info.ref, from: now &- window, to: now))?.avg else { continue }
                var labels = info.labels.tags
                labels["service"] = info.labels.serviceName
                labels["figure"] = name
                points.append(("anomaly:\(name):\(info.labels.description)", labels, avg, info.ref))
            }
        }
        var out: [AlertNotification] = []
        for p in points {
            guard var detector = detectors[p.key] ?? newDetector(store: store, ref: p.ref) else {
                skippedSeries += 1
                continue
            }
            let s = detector.score(timestamp: now, value: p.value)
            detectors[p.key] = detector
            out += engine.observe(
                ruleName: "anomaly", key: p.key, labels: p.labels, value: s.isWarmingUp ? nil : s.score, thresholds: thresholds, at: now,
                window: window, cooldown: config.settings.cooldown,
                suggestedAction:
                    "\(p.labels["figure"] ?? "the series") of \(p.labels["service"] ?? "?") left its usual range (score \(String(format: "%.2f", s.score))): compare with recent deploys and the service's dependencies."
            )
        }
        return (out, points.count)
    }

    /// A detector for a new series: stored gauges take their seasonal expectation from the
    /// rollups of previous days; health figures (not stored as series) learn theirs from the stream.
    private func newDetector(store: Store, ref: SeriesRef?) -> AnomalyDetector? {
        guard detectors.count < maxSeries else { return nil }
        guard let ref else { return AnomalyDetector(settings: config.settings) }
        return AnomalyDetector(settings: config.settings, seasonal: RollupSeasonalBaseline(store: store, ref: ref))
    }
}
