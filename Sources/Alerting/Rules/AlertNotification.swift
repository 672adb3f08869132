import Foundation
import Query
import TSDB

/// One evaluation of an alert: time (ms) and value.
public struct RecentValue: Sendable, Equatable, Codable {
    public var t: Int64
    public var v: Double

    public init(t: Int64, v: Double) {
        self.t = t
        self.v = v
    }
}

/// One window of a service's health, as in the `/api/v1/health` JSON.
public struct HealthWindow: Sendable, Equatable, Codable {
    public var avgLatencyMs: Double?, p50LatencyMs: Double?, p95LatencyMs: Double?, p99LatencyMs: Double?
    public var errorRatePercent: Double?, throughputRps: Double?, availabilityPercent: Double?
    public var count: Int64

    /// The window's figures, non-finite values as nil.
    public init(_ s: HealthSummary) {
        avgLatencyMs = finiteOrNil(s.avgLatencyMs)
        p50LatencyMs = finiteOrNil(s.p50LatencyMs)
        p95LatencyMs = finiteOrNil(s.p95LatencyMs)
        p99LatencyMs = finiteOrNil(s.p99LatencyMs)
        errorRatePercent = finiteOrNil(s.errorRatePercent)
        throughputRps = finiteOrNil(s.throughputRps)
        availabilityPercent = finiteOrNil(s.availabilityPercent)
        count = s.count
    }

    enum CodingKeys: String, CodingKey {
        case avgLatencyMs = "avg_latency_ms"
        case p50LatencyMs = "p50_latency_ms"
        case p95LatencyMs = "p95_latency_ms"
        case p99LatencyMs = "p99_latency_ms"
        case errorRatePercent = "error_rate_percent"
        case throughputRps = "throughput_rps"
        case availabilityPercent = "availability_percent"
        case count
    }

    /// Every key present, nil as JSON null.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(avgLatencyMs, forKey: .avgLatencyMs)
        try c.encode(p50LatencyMs, forKey: .p50LatencyMs)
        try c.encode(p95LatencyMs, forKey: .p95LatencyMs)
        try c.encode(p99LatencyMs, forKey: .p99LatencyMs)
        try c.encode(errorRatePercent, forKey: .errorRatePercent)
        try c.encode(throughputRps, forKey: .throughputRps)
        try c.encode(availabilityPercent, forKey: .availabilityPercent)
        try c.encode(count, forKey: .count)
    }
}

/// A notification to deliver: a firing or resolved alert, or an alert-storm summary.
public struct AlertNotification: Sendable, Equatable, Codable {
    public var rule: String
    public var key: String
    public var labels: [String: String]
    public var service: String?
    /// Severity firing, or (when resolved) the severity that was firing.
    public var severity: AlertSeverity
    /// `.firing` or `.resolved`.
    public var state: AlertPhase
    public var previousSeverity: AlertSeverity?
    public var value: Double?
    /// The threshold crossed: the severity's threshold when firing, the resolve threshold when resolved.
    public var threshold: Double?
    public var direction: AlertDirection
    /// Window (ms) the value was computed over.
    public var window: Int64
    /// Baseline figure (throughput_drop: baseline throughput in rps), nil otherwise.
    public var baseline: Double?
    /// The last evaluations of this alert, oldest first.
    public var recent: [RecentValue]
    /// The service's health over 1m, 5m and 1h, keyed by window name; nil without a service.
    public var health: [String: HealthWindow]?
    public var suggestedAction: String
    /// Evaluation time (ms).
    public var timestamp: Int64
    /// A one-line, Slack-compatible summary.
    public var text: String
    /// Set on storm summaries only (rule `alert_storm`).
    public var storm: StormSummary?

    enum CodingKeys: String, CodingKey {
        case rule, key, labels, service, severity, state
        case previousSeverity = "previous_severity"
        case value, threshold
        case direction
        case window = "window_ms"
        case baseline, recent, health
        case suggestedAction = "suggested_action"
        case timestamp, text, storm
    }

    /// Every key present, nil as JSON null (receivers see a stable schema).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        try c.encode(key, forKey: .key)
        try c.encode(labels, forKey: .labels)
        try c.encode(service, forKey: .service)
        try c.encode(severity, forKey: .severity)
        try c.encode(state, forKey: .state)
        try c.encode(previousSeverity, forKey: .previousSeverity)
        try c.encode(finiteOrNil(value), forKey: .value)
        try c.encode(finiteOrNil(threshold), forKey: .threshold)
        try c.encode(direction, forKey: .direction)
        try c.encode(window, forKey: .window)
        try c.encode(finiteOrNil(baseline), forKey: .baseline)
        try c.encode(recent.filter { $0.v.isFinite }, forKey: .recent)
        try c.encode(health, forKey: .health)
        try c.encode(suggestedAction, forKey: .suggestedAction)
        try c.encode(timestamp, forKey: .timestamp)
        try c.encode(text, forKey: .text)
        try c.encode(storm, forKey: .storm)
    }

    /// The notification as compact JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The name of storm-summary notifications.
    public static let stormRule = "alert_storm"

    /// A notification standing for every notification held back by the storm cap.
    public init(storm s: StormSummary, at time: Int64) {
        rule = Self.stormRule
        key = Self.stormRule
        labels = [:]
        severity = s.critical > 0 ? .critical : .warning
        state = .firing
        direction = .above
        window = s.to &- s.from
        value = Double(s.held)
        recent = []
        suggestedAction = "Many alerts at once: look for a shared cause (deploy, network, storage) before single alerts."
        timestamp = time
        text = s.text
        storm = s
    }

    /// A notification from its parts; `text` is derived.
    public init(
        rule: String, key: String, labels: [String: String], service: String?, transition: AlertTransition,
        thresholds: AlertThresholds, window: Int64, baseline: Double?, recent: [RecentValue],
        health: [String: HealthWindow]?, suggestedAction: String
    ) {
        self.rule = rule
        self.key = key
        self.labels = labels
        self.service = service
        severity = transition.severity ?? transition.previousSeverity ?? .warning
        state = transition.to
        previousSeverity = transition.previousSeverity
        value = transition.value
        threshold = transition.to == .resolved ? thresholds.effectiveResolve : thresholds.threshold(for: severity)
        direction = thresholds.direction
        self.window = window
        self.baseline = baseline
        self.recent = recent
        self.health = health
        self.suggestedAction = suggestedAction
        timestamp = transition.at
        text = ""
        text = slackText()
    }

    /// `[CRITICAL] rule service=x: value 5230 > 5000 over 5m (was warning). Action: ...`.
    func slackText() -> String {
        let tag = state == .resolved ? "RESOLVED" : severity.rawValue.uppercased()
        let who = labels.sorted { $0.key < $1.key }.filter { $0.key != "team" }.map { "\($0.key)=\($0.value)" }
        var s = "[\(tag)] \(rule)" + (who.isEmpty ? "" : " " + who.joined(separator: " ")) + ":"
        let firingOp = direction == .above ? ">" : "<"
        let resolvedOp = direction == .above ? "<" : ">"
        s += " value \(AlertFormat.number(value)) \(state == .resolved ? resolvedOp : firingOp) \(AlertFormat.number(threshold))"
        s += " over \(StoreOptions.formatDuration(window))"
        if let p = previousSeverity, p != severity, state == .firing { s += " (was \(p.rawValue))" }
        if let b = baseline { s += " (baseline \(AlertFormat.number(b)))" }
        if state == .firing && !suggestedAction.isEmpty { s += ". Action: " + suggestedAction }
        return s
    }
}

/// Number formatting for messages.
enum AlertFormat {
    /// Integers as such, large values rounded, small ones to 4 significant digits; "n/a" for nil.
    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "n/a" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        // Int64 holds |v| < 2^63 only: beyond that (a latency of 1e19 once crash-looped the
        // service) the value is written in exponent form.
        if abs(v) >= 100 && abs(v) < 9e18 { return String(Int64(v.rounded())) }
        if abs(v) >= 9e18 { return String(format: "%.6g", v) }
        return String(format: "%.4g", v)
    }
}

/// nil for NaN and infinities (JSON has no such numbers).
@inline(__always)
func finiteOrNil(_ v: Double?) -> Double? {
    guard let v, v.isFinite else { return nil }
    return v
}
