import Foundation

/// What a service's health is measured against.
public struct HealthTargets: Sendable, Equatable {
    /// p99 latency at or below this scores full latency points.
    public var latencyP99TargetMs: Double
    /// Error rate (percent, 0-100) that halves the error-rate points.
    public var errorBudgetPercent: Double
    /// Availability (percent) that scores zero availability points; 100 % scores full points.
    public var availabilityFloorPercent: Double
    /// Expected traffic; nil leaves throughput out of the score.
    public var expectedThroughputRps: Double?

    /// Targets with the documented defaults (p99 500 ms, 1 % error budget, 90 % floor, no throughput).
    public init(
        latencyP99TargetMs: Double = 500, errorBudgetPercent: Double = 1, availabilityFloorPercent: Double = 90,
        expectedThroughputRps: Double? = nil
    ) {
        self.latencyP99TargetMs = latencyP99TargetMs
        self.errorBudgetPercent = errorBudgetPercent
        self.availabilityFloorPercent = availabilityFloorPercent
        self.expectedThroughputRps = expectedThroughputRps
    }
}

/// A 0-100 composite health score of one service (docs/ALERTS.md, "Health and SLA").
///
/// Components, each 0-100:
/// - availability: `100 * clamp((A - floor) / (100 - floor), 0, 1)` (A = availability percent);
/// - latency: `100 / (1 + max(0, p99 / target - 1)^2)`: full points up to the target, then a
///   penalty with zero slope at the target (no cliff), half points at twice the target;
/// - error rate: `100 * 2^(-E / budget)` (E = error rate percent): half points at the budget;
/// - throughput (only with an expected rate): `100 * min(1, rps / expected)`.
/// The score is the weighted mean of the components that have data (weights renormalised over
/// them); no events at all means no score.
public struct HealthScore: Sendable, Equatable {
    /// Relative weights of the components (renormalised over those present).
    public struct Weights: Sendable, Equatable {
        public var availability: Double, latency: Double, errorRate: Double, throughput: Double

        /// Default weights: availability 40, latency 35, error rate 25, throughput 10.
        public init(availability: Double = 40, latency: Double = 35, errorRate: Double = 25, throughput: Double = 10) {
            self.availability = availability
            self.latency = latency
            self.errorRate = errorRate
            self.throughput = throughput
        }
    }

    /// The weighted score, 0-100.
    public var score: Double
    /// Each component's points (nil: no data or not configured).
    public var availability: Double?, latency: Double?, errorRate: Double?, throughput: Double?

    /// The score of `summary` against `targets`; nil when the summary holds no events.
    public static func compute(_ summary: HealthSummary, targets: HealthTargets = HealthTargets(), weights: Weights = Weights())
        -> HealthScore?
    {
        guard summary.count > 0 else { return nil }
        let a = summary.availabilityPercent.flatMap { availabilityPoints($0, floor: targets.availabilityFloorPercent) }
        let l = summary.p99LatencyMs.flatMap { latencyPoints($0, target: targets.latencyP99TargetMs) }
        let e = summary.errorRatePercent.flatMap { errorRatePoints($0, budget: targets.errorBudgetPercent) }
        let t = targets.expectedThroughputRps.flatMap { throughputPoints(summary.throughputRps, expected: $0) }
        let parts: [(Double?, Double)] = [
            (a, weights.availability), (l, weights.latency), (e, weights.errorRate), (t, weights.throughput),
        ]
        var weighted = 0.0
        var total = 0.0
        for case (let points?, let w) in parts where w > 0 {
            weighted += points * w
            total += w
        }
        guard total > 0 else { return nil }
        return HealthScore(score: weighted / total, availability: a, latency: l, errorRate: e, throughput: t)
    }

    /// Availability points: linear from the floor (0) to 100 % (100); nil for NaN input.
    static func availabilityPoints(_ percent: Double, floor: Double) -> Double? {
        guard !percent.isNaN, !floor.isNaN else { return nil }
        guard floor < 100 else { return percent >= 100 ? 100 : 0 }
        return 100 * clamp01((percent - floor) / (100 - floor))
    }

    /// Latency points: 100 up to the target, then 100 / (1 + excess^2) with excess = p99/target - 1.
    static func latencyPoints(_ p99: Double, target: Double) -> Double? {
        guard !p99.isNaN, target > 0 else { return nil }
        let excess = Swift.max(0, p99 / target - 1)
        return 100 / (1 + excess * excess)
    }

    /// Error-rate points: 100 * 2^(-rate / budget); a zero budget gives 0 points for any error.
    static func errorRatePoints(_ percent: Double, budget: Double) -> Double? {
        guard !percent.isNaN, !budget.isNaN else { return nil }
        guard budget > 0 else { return percent > 0 ? 0 : 100 }
        return 100 * exp2(-Swift.max(0, percent) / budget)
    }

    /// Throughput points: the share of the expected rate reached, capped at 100.
    static func throughputPoints(_ rps: Double, expected: Double) -> Double? {
        guard !rps.isNaN, expected > 0 else { return nil }
        return 100 * clamp01(rps / expected)
    }

    private static func clamp01(_ x: Double) -> Double { Swift.min(1, Swift.max(0, x)) }
}
