/// Tuning of `AnomalyDetector` and `AnomalyAlerter`; every default is documented in docs/ALERTS.md.
///
/// Each component turns its statistic into a normalised evidence `e` where `e = 1` is "as strong
/// as an alert"; the combined score is `1 - 5^-max(e)` (see `AnomalyScore`), so `e = 1` maps to
/// 0.8, the default `alertScore`.
public struct DetectorSettings: Sendable, Codable, Equatable {
    /// Length of the baseline window (ms): the recent past a point is compared with.
    public var baselineWindow: Int64 = 3_600_000
    /// Most points kept in the baseline; denser series are subsampled to this many per window.
    public var maxBaselinePoints: Int = 1024
    /// Points the baseline needs before anything is scored (score 0 while warming up).
    public var minPoints: Int = 30
    /// |z| (against the baseline mean, or trend line before seasonality) that counts as e = 1.
    public var zThreshold: Double = 4.5
    /// |modified z| = 0.6745·|x - median| / MAD that counts as e = 1.
    public var madThreshold: Double = 4.5
    /// |x - seasonal expectation| / stddev that counts as e = 1.
    public var seasonalThreshold: Double = 6
    /// CUSUM allowance k, in standard deviations: drifts smaller than this are ignored.
    public var cusumK: Double = 1.5
    /// CUSUM decision interval h: a sum reaching h is a change (e = 1).
    public var cusumH: Double = 4
    /// Standardised residuals are clipped to ±this before entering the CUSUM, so one outlier
    /// cannot trigger it alone.
    public var cusumClip: Double = 3
    /// Points in the short window whose variance is compared with the rest of the baseline.
    public var shortWindowPoints: Int = 30
    /// Short-window variance over the long-memory variance that counts as e = 1 (a decrease
    /// needs the square of its inverse).
    public var varianceRatioThreshold: Double = 2.2
    /// Time constant (ms) of the long-memory residual level and variance: the reference of the
    /// seasonal deviation and of the variance ratio (longer: catches slower drifts, but adapts
    /// more slowly to day-to-day level changes).
    public var longMemory: Int64 = 21_600_000
    /// Time constant (ms) of the reference variance (shorter than `longMemory`: noise often
    /// follows the daily cycle of the level).
    public var varianceMemory: Int64 = 7_200_000
    /// Residuals entering the baseline are winsorised to ±this many stddevs of the baseline.
    public var baselineClip: Double = 4
    /// Fit a local trend line before a seasonal expectation exists (daily cycles are not drifts).
    public var detrendWithoutSeasonal: Bool = true
    /// Use the seasonal (same time of day) expectation when the provider has one.
    public var seasonal: Bool = true
    /// Score above which an alert is pending/firing (warning).
    public var alertScore: Double = 0.8
    /// Score above which a firing alert is critical.
    public var criticalScore: Double = 0.95
    /// A firing alert resolves once the score is back below this (hysteresis).
    public var resolveScore: Double = 0.5
    /// How long (ms) the score must stay above `alertScore` before the alert fires.
    public var forDuration: Int64 = 60_000
    /// Minimum time (ms) between two firing notifications of the same series.
    public var cooldown: Int64 = 1_800_000

    /// The documented defaults.
    public init() {}
}
