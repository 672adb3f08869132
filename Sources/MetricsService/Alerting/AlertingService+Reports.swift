import Alerting
import Foundation
import Query
import TSDB

extension AlertingService {
    /// Metric families for `/metrics` (and self-monitoring): alerts sent by severity, suppressed
    /// by reason, firing now, anomaly points scored, recording rule runs.
    public func metricFamilies() -> [MetricFamily] {
        let c = stats
        let (engine, limiter) = engineCounters
        let active = activeAlerts
        let deliveries = dispatcher.stats
        return [
            MetricFamily(
                name: "alerts_sent_total", type: "counter", help: "Alert notifications sent, by severity (resolved: resolutions).",
                samples: ["warning", "critical", "resolved"].map {
                    .init(labels: [("severity", $0)], value: Double(c.notifications[$0] ?? 0))
                }),
            MetricFamily(
                name: "alerts_suppressed_total", type: "counter", help: "Notifications held back, by reason.",
                samples: [
                    .init(labels: [("reason", "duplicate")], value: Double(limiter.suppressedDuplicate)),
                    .init(labels: [("reason", "cooldown")], value: Double(limiter.suppressedCooldown)),
                    .init(labels: [("reason", "storm")], value: Double(limiter.heldForStorm)),
                ]),
            MetricFamily(
                name: "alerts_firing", type: "gauge", help: "Alerts firing now, by severity.",
                samples: AlertSeverity.allCases.map { s in
                    .init(
                        labels: [("severity", s.rawValue)], value: Double(active.filter { $0.phase == .firing && $0.severity == s }.count))
                }),
            MetricFamily(
                name: "alert_rule_evaluations_total", type: "counter", help: "Alert rule evaluations.",
                samples: [.init(value: Double(engine.evaluations))]),
            MetricFamily(
                name: "alert_deliveries_total", type: "counter", help: "Notification deliveries by notifier and outcome.",
                samples: deliveries.sorted { $0.key < $1.key }.flatMap { name, d in
                    [
                        MetricFamily.Sample(labels: [("notifier", name), ("outcome", "delivered")], value: Double(d.delivered)),
                        MetricFamily.Sample(labels: [("notifier", name), ("outcome", "failed")], value: Double(d.failed)),
                        MetricFamily.Sample(labels: [("notifier", name), ("outcome", "dropped")], value: Double(d.dropped)),
                    ]
                }),
            MetricFamily(
                name: "anomaly_points_scored_total", type: "counter", help: "Points scored by the anomaly detectors.",
                samples: [.init(value: Double(c.anomalyPointsScored))]),
            MetricFamily(
                name: "recording_rule_evaluations_total", type: "counter", help: "Recording rule evaluations, by outcome.",
                samples: [
                    .init(labels: [("outcome", "ok")], value: Double(c.recordingEvaluations - c.recordingFailures)),
                    .init(labels: [("outcome", "failed")], value: Double(c.recordingFailures)),
                ]),
        ]
    }

    /// `/api/v1/alerts`: firing and pending alerts, the latest notifications, counters.
    public func alertsJSON() -> String {
        let active: [[String: Any]] = activeAlerts.map { a in
            var o: [String: Any] = ["key": a.key, "rule": a.rule, "labels": a.labels, "state": a.phase.rawValue]
            o["severity"] = a.severity?.rawValue ?? NSNull()
            o["since"] = a.since.map { NSNumber(value: $0) } ?? NSNull()
            o["value"] = a.lastValue.map { NSNumber(value: $0.v) } ?? NSNull()
            return o
        }
        let recent: [Any] = recentNotifications.reversed().compactMap { n in
            (try? n.jsonData()).flatMap { try? JSONSerialization.jsonObject(with: $0) }
        }
        let c = stats
        return Self.json([
            "status": "success",
            "data": ["active": active, "recent": recent, "sent": c.notifications, "anomaly_points_scored": c.anomalyPointsScored],
        ])
    }

    /// `/api/v1/slo`: per SLO compliance so far, error budget left and burn rates.
    public func sloJSON() -> String {
        let reports: [[String: Any]] = sloReports.map { r in
            let s = r.status
            return [
                "name": s.spec.name, "service": s.spec.service, "target_percent": s.spec.target * 100,
                "period_ms": s.spec.period, "at": s.at, "total": s.counts.total, "good": s.counts.good, "exact": s.counts.exact,
                "compliance_percent": s.compliance.map { NSNumber(value: $0 * 100) } ?? NSNull(),
                "error_budget_events": s.errorBudget, "budget_consumed": s.budgetConsumed, "budget_remaining": s.budgetRemaining,
                "meets_objective": s.meetsObjective.map { NSNumber(value: $0) } ?? NSNull(),
                "burn_rates": r.burn.conditions.map { c -> [String: Any] in
                    [
                        "rule": c.rule.name, "long_window_ms": c.rule.longWindow, "short_window_ms": c.rule.shortWindow,
                        "threshold": c.rule.threshold, "severity": c.rule.severity.rawValue, "holds": c.holds,
                        "long_burn_rate": c.longBurnRate.map { NSNumber(value: $0) } ?? NSNull(),
                        "short_burn_rate": c.shortBurnRate.map { NSNumber(value: $0) } ?? NSNull(),
                    ]
                },
            ]
        }
        return Self.json(["status": "success", "data": reports])
    }

    /// `/api/v1/capacity`: per configured capacity entry the trend (slope per day) and the days
    /// until its limit at that trend (null when flat or moving away from it).
    public func capacityJSON(now: Int64) -> String {
        let estimator = TrendEstimator(store: store)
        let entries: [[String: Any]] = config.capacity.map { spec in
            var matchers: [LabelMatcher] = [.equal(Labels.metricName, spec.metric)]
            if let service = spec.service { matchers.append(.equal(Labels.service, service)) }
            var o: [String: Any] = [
                "name": spec.name, "metric": spec.metric, "limit": spec.limit, "direction": spec.direction.rawValue,
                "window_ms": spec.window,
            ]
            o["service"] = spec.service ?? NSNull()
            if let trend = try? estimator.trend(matchers, end: now, window: spec.window, measure: spec.measure) {
                o["current"] = trend.current
                o["slope_per_day"] = trend.slopePerDay
                o["points"] = trend.pointCount
                o["days_until_limit"] = trend.daysUntil(spec.limit, direction: spec.direction).map { NSNumber(value: $0) } ?? NSNull()
            } else {
                o["current"] = NSNull()
                o["days_until_limit"] = NSNull()
            }
            return o
        }
        return Self.json(["status": "success", "data": entries])
    }

    static func json(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{\"status\":\"error\",\"error\":\"could not encode\"}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
