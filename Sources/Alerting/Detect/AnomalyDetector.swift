import Foundation

/// Streaming, bounded-memory anomaly detector for one series.
///
/// Per point it compares the value with
/// - the baseline window (z-score against its mean, or against its least-squares trend line while
///   no seasonal expectation exists, so a daily cycle does not read as a drift),
/// - the same window's median and MAD (modified z-score, robust to outliers in the window),
/// - the seasonal expectation at this time of day from previous days, when the provider has one:
///   the window then holds residuals `value - expectation`, and the seasonal z-score is the
///   residual's distance from its long-memory level in long-memory stddevs,
/// - a two-sided CUSUM on the seasonal z-score (or, before seasonality, the z-score): level
///   shifts and slow drifts,
/// - the ratio of the short-window variance to the long-memory variance (variance change),
/// and combines them as documented on `AnomalyScore`. Memory: O(maxBaselinePoints) plus the
/// seasonal provider's; time: O(log n) plus one memmove of at most n doubles per point.
public struct AnomalyDetector: Sendable {
    public let settings: DetectorSettings
    /// Seasonal expectations; fed with every scored point.
    public private(set) var seasonalBaseline: (any SeasonalBaseline)?
    private var baseline: BaselineWindow
    private var cusum: ChangeDetector
    private var seasonalMode = false
    private var lastTimestamp: Int64 = .min
    private let logVarianceThreshold: Double
    /// Long-memory (EWMA over `longMemory`) level and variance of the residuals: the reference of
    /// the seasonal deviation and of the variance ratio.
    private var longLevel = 0.0
    private var longVariance = 0.0
    private var lastLongUpdate: Int64 = .min

    /// A detector with `settings`; pass nil as `seasonal` to disable seasonal adjustment.
    public init(settings: DetectorSettings = DetectorSettings(), seasonal: (any SeasonalBaseline)? = DailyProfileBaseline()) {
        self.settings = settings
        self.seasonalBaseline = seasonal
        baseline = BaselineWindow(
            window: settings.baselineWindow, capacity: settings.maxBaselinePoints, recentCount: settings.shortWindowPoints)
        cusum = ChangeDetector(k: settings.cusumK, h: settings.cusumH)
        logVarianceThreshold = log(max(1.0001, settings.varianceRatioThreshold))
    }

    /// Scores one point and learns it. Non-finite values and points not newer than the previous
    /// one are not learned and score 0 (`isWarmingUp` stays false for them once warm).
    public mutating func score(timestamp: Int64, value: Double) -> AnomalyScore {
        guard value.isFinite, timestamp > lastTimestamp else {
            var s = AnomalyScore.warmingUp
            s.isWarmingUp = baseline.count < settings.minPoints
            return s
        }
        lastTimestamp = timestamp
        let expected = settings.seasonal ? seasonalBaseline?.expected(at: timestamp) : nil
        if (expected != nil) != seasonalMode { switchMode(expected) }
        let r = value - (expected?.mean ?? 0)
        baseline.evict(now: timestamp)
        guard baseline.count >= max(3, settings.minPoints) else {
            if baseline.keeps(timestamp) { baseline.append(t: timestamp, raw: value, value: r) }
            seasonalBaseline?.observe(timestamp: timestamp, value: value)
            return .warmingUp
        }
        let model = seasonalMode || !settings.detrendWithoutSeasonal ? baseline.level() : baseline.trend(at: timestamp)
        if longVariance == 0 { longVariance = model.stddev * model.stddev }
        let sd = max(model.stddev, 1e-9 * max(abs(value), 1e-3))
        let z = (r - model.mean) / sd

        let median = baseline.sorted.median()
        let mad = baseline.sorted.mad(around: median)
        let mz = mad > 0 ? 0.6745 * (r - median) / mad : (r - median) / sd

        var ratio = 1.0
        if let short = baseline.recentVariance(), longVariance > 0 { ratio = max(short, 1e-6 * longVariance) / longVariance }
        var seasonalZ: Double?
        if expected != nil { seasonalZ = (r - longLevel) / max(longVariance.squareRoot(), 1e-9 * max(abs(value), 1e-3)) }
        let clip = settings.cusumClip
        let c = cusum.update(min(max(seasonalZ ?? z, -clip), clip))

        let lr = log(ratio)
        // Decreases count a third; before seasonality, half (noise that follows the daily level
        // cannot be told from a variance change without a previous day).
        let ev = (lr >= 0 ? lr : -lr / 3) / logVarianceThreshold * (seasonalMode ? 1 : 0.5)
        var e = max(abs(z) / settings.zThreshold, abs(mz) / settings.madThreshold)
        e = max(e, max(c, ev))
        if let sz = seasonalZ { e = max(e, abs(sz) / settings.seasonalThreshold) }

        if baseline.keeps(timestamp) {
            var learned = r
            if model.stddev > 0 {
                let w = settings.baselineClip * model.stddev
                learned = min(max(r, model.mean - w), model.mean + w)
            }
            if let left = baseline.append(t: timestamp, raw: value, value: learned) {
                learnLongMemory(left, cap: settings.baselineClip * max(model.stddev, longVariance.squareRoot()))
            }
        }
        seasonalBaseline?.observe(timestamp: timestamp, value: value)
        return AnomalyScore(
            score: AnomalyScore.combined(evidence: e), evidence: e, zScore: z, modifiedZScore: mz, seasonalZScore: seasonalZ, cusum: c,
            varianceRatio: ratio, isWarmingUp: false)
    }

    /// Folds a point that just left the short window into the long-memory level and variance
    /// (EWMAs with time constants `longMemory` / `varianceMemory`, deviations winsorised to ±cap):
    /// lagging them by the short window keeps a starting incident out of its own reference. The
    /// deviation is from the long level in seasonal mode, and from the trend line otherwise, where
    /// the raw values still cycle.
    private mutating func learnLongMemory(_ p: (t: Int64, value: Double), cap: Double) {
        let elapsed = Double(max(0, p.t &- lastLongUpdate))
        lastLongUpdate = p.t
        let reference = seasonalMode ? longLevel : (settings.detrendWithoutSeasonal ? baseline.trend(at: p.t) : baseline.level()).mean
        let d = min(max(p.value - reference, -cap), cap)
        longVariance += (1 - exp(-elapsed / Double(max(1, settings.varianceMemory)))) * (d * d - longVariance)
        if seasonalMode { longLevel += (1 - exp(-elapsed / Double(max(1, settings.longMemory)))) * d }
    }

    /// Enters or leaves seasonal mode: the window's residuals are recomputed against the new
    /// expectation and the CUSUM restarts.
    private mutating func switchMode(_ now: (mean: Double, stddev: Double)?) {
        seasonalMode = now != nil
        let provider = seasonalMode ? seasonalBaseline : nil
        let fallback = now?.mean ?? 0
        baseline.rebuild { t, raw in raw - (provider?.expected(at: t)?.mean ?? fallback) }
        longLevel = baseline.level().mean
        lastLongUpdate = .min
        cusum.reset()
    }
}
