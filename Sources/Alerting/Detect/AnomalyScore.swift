import Foundation

/// The anomaly score of one point and the components it was combined from.
///
/// `score = 1 - 5^-E` with `E = max(e_z, e_mad, e_seasonal, e_cusum, e_variance)`, each `e` being
/// the component divided by its threshold in `DetectorSettings` (for the variance:
/// `|ln ratio| / ln threshold`). `E = 1` gives 0.8, `E = 0.43` gives 0.5, `E = 1.86` gives 0.95.
public struct AnomalyScore: Sendable, Equatable {
    /// Combined score in [0, 1]; 0 while warming up.
    public var score: Double
    /// The strongest normalised evidence E (1 = alert-strength).
    public var evidence: Double
    /// z-score against the baseline (mean, or trend line before seasonality is known).
    public var zScore: Double
    /// Modified z-score 0.6745·(x - median)/MAD over the baseline.
    public var modifiedZScore: Double
    /// Deviation from the seasonal expectation in stddevs; nil without a seasonal expectation.
    public var seasonalZScore: Double?
    /// Larger CUSUM sum divided by h (≥ 1 means a change was detected at this point).
    public var cusum: Double
    /// Short-window variance over the rest of the baseline's variance (1 when unknown).
    public var varianceRatio: Double
    /// True while the baseline has fewer than `minPoints` points.
    public var isWarmingUp: Bool

    /// The score of a point seen while warming up (or without usable data).
    public static let warmingUp = AnomalyScore(
        score: 0, evidence: 0, zScore: 0, modifiedZScore: 0, seasonalZScore: nil, cusum: 0, varianceRatio: 1, isWarmingUp: true)

    /// Maps evidence E ≥ 0 to [0, 1): `1 - 5^-E`.
    @inline(__always)
    public static func combined(evidence: Double) -> Double {
        guard evidence > 0 else { return 0 }
        return evidence.isFinite ? 1 - exp(-evidenceRate * evidence) : 1
    }

    /// ln 5: the rate that maps E = 1 to 0.8.
    public static let evidenceRate = log(5.0)
}
