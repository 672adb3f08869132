import Foundation
import Query
import TSDB

/// A service health figure a `.health` rule watches.
public enum HealthMetric: String, Sendable, Codable, CaseIterable {
    case p99LatencyMs, p95LatencyMs, avgLatencyMs
    /// Fraction 0-1 of error events (5xx status or error="true").
    case errorRate
    /// Fraction 0-1 of non-error events.
    case availability
    case throughputRps
    /// `1 - current throughput / baseline throughput`, clamped at 0; nil without baseline events.
    case throughputDrop

    /// Whether the value needs the baseline window before the evaluation window.
    public var needsBaseline: Bool { self == .throughputDrop }

    /// The figure from the window's summary (and the baseline's, for `throughputDrop`); nil: no data.
    public func value(current: HealthSummary, baseline: HealthSummary?) -> Double? {
        switch self {
        case .p99LatencyMs: return current.p99LatencyMs
        case .p95LatencyMs: return current.p95LatencyMs
        case .avgLatencyMs: return current.avgLatencyMs
        case .errorRate: return current.errorRatePercent.map { $0 / 100 }
        case .availability: return current.availabilityPercent.map { $0 / 100 }
        case .throughputRps: return current.throughputRps
        case .throughputDrop:
            guard let b = baseline, b.count > 0, b.throughputRps > 0 else { return nil }
            return max(0, 1 - current.throughputRps / b.throughputRps)
        }
    }

    /// A short human name for messages.
    public var displayName: String {
        switch self {
        case .p99LatencyMs: "p99 latency (ms)"
        case .p95LatencyMs: "p95 latency (ms)"
        case .avgLatencyMs: "avg latency (ms)"
        case .errorRate: "error rate"
        case .availability: "availability"
        case .throughputRps: "throughput (rps)"
        case .throughputDrop: "throughput drop vs baseline"
        }
    }
}

/// What a rule evaluates.
public enum AlertRuleKind: Sendable, Equatable {
    /// A PromQL expression evaluated at the evaluation time; each output series is its own alert.
    /// It should yield the raw value (no comparison filter): a series missing from the output is
    /// "no data", which never resolves an alert.
    case expression(String)
    /// A health figure of each listed service (every service of the store when nil), over the
    /// rule's window ending at the evaluation time.
    case health(HealthMetric, services: [String]?)
}

/// One alerting rule: what to watch, its thresholds and how to notify.
public struct AlertRule: Sendable, Equatable {
    public var name: String
    public var kind: AlertRuleKind
    /// Window (ms) of `.health` figures; informational for `.expression` (put ranges in the expression).
    public var window: Int64
    /// Warning/critical/resolve thresholds and the `for` duration.
    public var thresholds: AlertThresholds
    /// After a firing notification, a re-fire of the same alert within this (ms) is suppressed.
    public var cooldown: Int64
    /// Text telling the on-call what to do; `{service}` is replaced by the alert's service.
    public var suggestedAction: String
    /// Labels added to every alert of the rule (e.g. team, runbook).
    public var labels: [String: String]
    /// Baseline window (ms) just before `window`, for `throughputDrop`.
    public var baseline: Int64
    /// Latency metric `.health` rules read; nil: every event series of the service.
    public var latencyMetric: String?

    /// How long a breach must last before the alert fires (ms).
    public var forDuration: Int64 {
        get { thresholds.forDuration }
        set { thresholds.forDuration = newValue }
    }

    /// A rule; `cooldown` defaults to 10 minutes and `baseline` to 1 hour.
    public init(
        name: String, kind: AlertRuleKind, window: Int64, thresholds: AlertThresholds, cooldown: Int64 = 600_000,
        suggestedAction: String = "", labels: [String: String] = [:], baseline: Int64 = 3_600_000, latencyMetric: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.window = window
        self.thresholds = thresholds
        self.cooldown = cooldown
        self.suggestedAction = suggestedAction
        self.labels = labels
        self.baseline = baseline
        self.latencyMetric = latencyMetric
    }

    /// `suggestedAction` with `{service}` filled in.
    public func action(service: String?) -> String {
        suggestedAction.replacingOccurrences(of: "{service}", with: service ?? "the service")
    }

    /// The built-in rules: p99 latency, error rate and throughput drop of every service.
    public static let defaults: [AlertRule] = [
        AlertRule(
            name: "api_latency_p99", kind: .health(.p99LatencyMs, services: nil), window: 300_000,
            thresholds: AlertThresholds(warning: 2_000, critical: 5_000, resolve: 1_500, forDuration: 60_000),
            suggestedAction: "Check {service}'s recent deploys and slow dependencies (database, downstream calls); "
                + "scale out if it is saturated."),
        AlertRule(
            name: "error_rate", kind: .health(.errorRate, services: nil), window: 300_000,
            thresholds: AlertThresholds(warning: 0.05, critical: 0.10, resolve: 0.03, forDuration: 60_000),
            suggestedAction: "Inspect {service}'s 5xx responses and error logs; roll back the latest deploy "
                + "if the errors started with it."),
        AlertRule(
            name: "throughput_drop", kind: .health(.throughputDrop, services: nil), window: 300_000,
            thresholds: AlertThresholds(warning: 0.30, critical: 0.50, resolve: 0.20, forDuration: 120_000),
            suggestedAction: "Traffic to {service} fell against the previous hour: check upstream callers, "
                + "the load balancer and the ingest pipeline (consumer lag)."),
    ]
}
