/// Pure maths on a stepped series (values at regular steps; NaN = no data, ignored everywhere).
public enum SeriesMath {
    /// Trailing mean of the last `window` values (fewer at the start; `window` < 1 acts as 1);
    /// NaN where the window holds no value.
    public static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        let w = Swift.max(1, window)
        var out = [Double](repeating: .nan, count: values.count)
        var sum = 0.0
        var n = 0
        for i in values.indices {
            if !values[i].isNaN {
                sum += values[i]
                n += 1
            }
            if i >= w, !values[i - w].isNaN {
                sum -= values[i - w]
                n -= 1
            }
            // Recompute on entering a fresh run so removed values leave no rounding residue.
            if n == 0 { sum = 0 } else { out[i] = sum / Double(n) }
        }
        return out
    }

    /// Exponentially weighted mean: s = alpha*x + (1-alpha)*s, seeded with the first value;
    /// a NaN input repeats the previous state (NaN before the first value).
    public static func ewma(_ values: [Double], alpha: Double) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(values.count)
        var state = Double.nan
        for v in values {
            if !v.isNaN { state = state.isNaN ? v : alpha * v + (1 - alpha) * state }
            out.append(state)
        }
        return out
    }

    /// Least-squares line through the non-NaN points: slope per hour, and `intercept` = the
    /// fitted value at `timestamps.first`. nil with fewer than two distinct timestamps.
    public static func linearTrend(timestamps: [Int64], values: [Double]) -> (slopePerHour: Double, intercept: Double)? {
        guard let t0 = timestamps.first else { return nil }
        var n = 0.0
        var sx = 0.0
        var sy = 0.0
        for (t, v) in zip(timestamps, values) where !v.isNaN {
            n += 1
            sx += Double(t - t0)
            sy += v
        }
        guard n >= 2 else { return nil }
        let mx = sx / n
        let my = sy / n
        var sxx = 0.0
        var sxy = 0.0
        for (t, v) in zip(timestamps, values) where !v.isNaN {
            let dx = Double(t - t0) - mx
            sxx += dx * dx
            sxy += dx * (v - my)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        return (slope * 3_600_000, my - slope * mx)
    }

    /// Two-sided tabular CUSUM on values standardised by (target ?? mean) and the population
    /// stddev: S+ = max(0, S+ + z - k), S- = max(0, S- - z - k); an index is reported when
    /// either exceeds `h`, and both restart from 0. Empty when the stddev is 0 or undefined.
    public static func cusum(_ values: [Double], target: Double? = nil, k: Double = 0.5, h: Double = 5) -> [Int] {
        let present = values.filter { !$0.isNaN }
        guard let mean = self.mean(present), let sd = stddev(present), sd > 0, sd.isFinite else { return [] }
        let center = target ?? mean
        var hi = 0.0
        var lo = 0.0
        var out: [Int] = []
        for (i, v) in values.enumerated() where !v.isNaN {
            let z = (v - center) / sd
            hi = Swift.max(0, hi + z - k)
            lo = Swift.max(0, lo - z - k)
            if hi > h || lo > h {
                out.append(i)
                hi = 0
                lo = 0
            }
        }
        return out
    }

    /// (mean(latest) - mean(baseline)) / population stddev(baseline); nil when either is empty
    /// or the baseline stddev is 0.
    public static func zScore(latest: [Double], baseline: [Double]) -> Double? {
        let l = latest.filter { !$0.isNaN }
        let b = baseline.filter { !$0.isNaN }
        guard let ml = mean(l), let mb = mean(b), let sd = stddev(b), sd > 0 else { return nil }
        return (ml - mb) / sd
    }

    /// 0.6745 * (median(latest) - median(baseline)) / MAD(baseline); nil when either is empty
    /// or the MAD is 0.
    public static func modifiedZScore(latest: [Double], baseline: [Double]) -> Double? {
        let l = latest.filter { !$0.isNaN }
        let b = baseline.filter { !$0.isNaN }
        guard let ml = median(l), let mb = median(b), let mad = median(b.map { ($0 - mb).magnitude }), mad > 0 else { return nil }
        return 0.6745 * (ml - mb) / mad
    }

    static func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }

    /// Population standard deviation.
    static func stddev(_ v: [Double]) -> Double? {
        guard let m = mean(v) else { return nil }
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
    }

    /// Middle value (mean of the two middle ones for an even count).
    static func median(_ v: [Double]) -> Double? {
        guard !v.isEmpty else { return nil }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
