import TSDB

/// Aggregate of one series over one window, from whatever mix of raw and rollups the planner chose.
///
/// count, sum, min, max, first, last and sumOfSquares are exact whatever the mix (sum and
/// sumOfSquares add per piece in time order, so they equal the raw answer within rounding).
/// Quantiles and counter increases are exact only from raw (see `quantile` and `counterIncrease`).
/// Where raw had expired, a rollup bucket straddling an edge of the window is counted whole
/// when its start lies inside the window and left out otherwise: `approximateEdges` is then set.
public struct WindowAggregate: Sendable {
    public var from: Int64, to: Int64
    public var count: Int64 = 0
    /// NaN samples propagate into `sum` and `sumOfSquares`; `min`/`max` ignore NaN (NaN when empty or all NaN).
    public var sum: Double = 0, min: Double = .nan, max: Double = .nan, sumOfSquares: Double = 0
    public var first: Double?, firstTimestamp: Int64?, last: Double?, lastTimestamp: Int64?
    /// Which resolutions answered (every level the plan read, even if it held no sample there).
    public var resolutions: Set<Resolution> = []
    /// True when a rollup bucket straddling an edge of the window was counted whole or left out.
    public var approximateEdges = false

    /// Running counter increase (see `counterIncrease`).
    var increase: Double = 0
    /// Raw values read, in time order (exact quantiles, or added to the sketch in mixed reads).
    var rawParts: [ArraySlice<Double>] = []
    /// Sketches of the non-empty rollup buckets read.
    var sketches: [QuantileSketch] = []
    /// A non-empty bucket had no sketch (non-event series): rollup quantiles are unavailable.
    var sketchMissing = false

    /// An empty aggregate of `[from, to)`.
    public init(from: Int64, to: Int64) {
        self.from = from
        self.to = to
    }

    /// sum / count; nil when count == 0.
    public var avg: Double? { count == 0 ? nil : sum / Double(count) }

    /// Population standard deviation (as Prometheus stddev_over_time); nil when count == 0.
    public var stddev: Double? {
        guard let mean = avg else { return nil }
        let variance = sumOfSquares / Double(count) - mean * mean
        return variance.isNaN ? .nan : Swift.max(0, variance).squareRoot()
    }

    /// Rollups answered but no sketch can give their quantiles (re-reading raw would help).
    var lacksSketches: Bool { !isExact && (sketchMissing || sketches.isEmpty) }

    /// True when only raw data was read.
    public var isExact: Bool { resolutions.allSatisfy { $0 == .raw } }

    /// 0 when exact, else the sketch's relative accuracy.
    public var quantileErrorBound: Double {
        isExact ? 0 : (sketches.first?.relativeAccuracy ?? 0.01)
    }

    /// q in [0,1] (nil outside or NaN); NaN samples are ignored. Raw only: exact, Prometheus
    /// quantile_over_time (sort, rank q*(n-1), linear interpolation). Otherwise the merged
    /// sketch (raw edge values added to it): the element at rank floor(q*(n-1)) within
    /// `quantileErrorBound` relative. nil when rollups without sketches answered (non-event
    /// series: ask `WindowQuery.aggregate(_:from:to:needsQuantile:)`, which reads raw instead).
    public func quantile(_ q: Double) -> Double? { quantiles([q])[0] }

    /// Several quantiles with one sort or one sketch merge.
    public func quantiles(_ qs: [Double]) -> [Double?] {
        if isExact {
            var values: [Double] = []
            values.reserveCapacity(Int(count))
            for part in rawParts { for v in part where !v.isNaN { values.append(v) } }
            values.sort()
            return qs.map { Self.interpolatedQuantile($0, sorted: values) }
        }
        guard !sketchMissing else { return qs.map { _ in nil } }
        var sketch = QuantileSketch(relativeAccuracy: sketches.first?.relativeAccuracy ?? 0.01)
        for s in sketches { sketch.merge(s) }
        for part in rawParts { for v in part { sketch.add(v) } }
        return qs.map { sketch.quantile($0) }
    }

    /// Prometheus' quantile over sorted values: linear interpolation at rank q*(n-1).
    static func interpolatedQuantile(_ q: Double, sorted s: [Double]) -> Double? {
        guard !s.isEmpty, q >= 0, q <= 1 else { return nil }
        let rank = q * Double(s.count - 1)
        let lo = Int(rank.rounded(.down))
        let hi = Swift.min(lo + 1, s.count - 1)
        let weight = rank - Double(lo)
        return s[lo] * (1 - weight) + s[hi] * weight
    }

    /// Counter increase inside the window with resets handled: sum over consecutive samples of
    /// v_i - v_{i-1}, or v_i when v_i < v_{i-1} (no extrapolation). Exact from raw and across
    /// piece boundaries (next first vs previous last). Within a rollup bucket: last - first, or
    /// (max - first) + last when min < first or last < first (a reset); exact when the bucket
    /// holds no reset, or one reset whose pre-reset peak is the bucket max and drops below first.
    public var counterIncrease: Double { increase }
}

extension WindowAggregate {
    /// Combines aggregates of several series (e.g. every latency series of a service) as if
    /// their samples formed one series: counts and sums add in the given order, quantiles use
    /// all raw values (exact when every input is) or the merged sketches.
    public static func combined(_ parts: [WindowAggregate]) -> WindowAggregate {
        var out = WindowAggregate(from: parts.map(\.from).min() ?? 0, to: parts.map(\.to).max() ?? 0)
        for p in parts {
            out.count += p.count
            out.sum += p.sum
            out.sumOfSquares += p.sumOfSquares
            if replacesMin(p.min, out.min) { out.min = p.min }
            if replacesMax(p.max, out.max) { out.max = p.max }
            if let t = p.firstTimestamp, out.firstTimestamp.map({ t < $0 }) ?? true {
                out.first = p.first
                out.firstTimestamp = t
            }
            if let t = p.lastTimestamp, out.lastTimestamp.map({ t >= $0 }) ?? true {
                out.last = p.last
                out.lastTimestamp = t
            }
            out.resolutions.formUnion(p.resolutions)
            out.approximateEdges = out.approximateEdges || p.approximateEdges
            out.increase += p.increase
            out.rawParts += p.rawParts
            out.sketches += p.sketches
            out.sketchMissing = out.sketchMissing || p.sketchMissing
        }
        return out
    }

    /// Whether `v` becomes the new min: NaN never does, anything replaces NaN, -0.0 < 0.0 (as RollupBucket).
    @inline(__always) static func replacesMin(_ v: Double, _ current: Double) -> Bool {
        !v.isNaN && (current.isNaN || v < current || (v == current && v.sign == .minus && current.sign == .plus))
    }

    /// Mirror of `replacesMin`.
    @inline(__always) static func replacesMax(_ v: Double, _ current: Double) -> Bool {
        !v.isNaN && (current.isNaN || v > current || (v == current && v.sign == .plus && current.sign == .minus))
    }
}
