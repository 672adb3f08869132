import TSDB

/// Total and good events of an SLO over one window.
public struct SLOCounts: Sendable, Equatable {
    public var total: Int64
    public var good: Int64
    /// False when part of the answer came from rollup sketches or from whole buckets at a window edge.
    public var exact: Bool

    /// Counts as given.
    public init(total: Int64, good: Int64, exact: Bool = true) {
        self.total = total
        self.good = good
        self.exact = exact
    }

    /// total - good.
    public var bad: Int64 { total &- good }

    /// Adds another window's or series' counts.
    mutating func add(_ other: SLOCounts) {
        total &+= other.total
        good &+= other.good
        exact = exact && other.exact
    }
}

/// Counting events under a latency threshold from raw samples and rollup buckets.
enum LatencyCounting {
    /// Events of `values` at or below `threshold` (NaN is above every threshold).
    static func good(_ values: ArraySlice<Double>, threshold: Double) -> Int64 {
        var n: Int64 = 0
        for v in values where v <= threshold { n &+= 1 }
        return n
    }

    /// Good events of one bucket and whether the figure is exact.
    ///
    /// Exact when the whole bucket lies on one side of the threshold (max <= threshold: every
    /// sketched value is good; min > threshold: none is). Otherwise the sketch decides: a value is
    /// good when its bucket representative is <= threshold, so values within the sketch's relative
    /// accuracy alpha of the threshold may be misclassified (those <= threshold / (1 + alpha) and
    /// > threshold / (1 - alpha) never are). NaN samples (count - sketch.count) are bad. Without a
    /// sketch (a non-event series) an ambiguous bucket counts as all bad (conservative).
    static func good(_ bucket: RollupBucket, threshold: Double) -> (good: Int64, exact: Bool) {
        // No sample, or every sample NaN: nothing good.
        guard bucket.count > 0, !bucket.min.isNaN else { return (0, true) }
        if bucket.min > threshold { return (0, true) }
        if bucket.max <= threshold { return (bucket.sketch?.count ?? bucket.count, bucket.sketch != nil) }
        guard let sketch = bucket.sketch else { return (0, false) }
        return (countAtOrBelow(sketch, threshold), false)
    }

    /// Number of sketched values whose reported quantile is <= `threshold`: binary search over
    /// ranks with `quantile`, which is monotone in the rank.
    static func countAtOrBelow(_ sketch: QuantileSketch, _ threshold: Double) -> Int64 {
        let n = sketch.count
        guard n > 0 else { return 0 }
        // q for rank r: floor(q * (n - 1)) == r (the half step absorbs rounding).
        func value(_ r: Int64) -> Double {
            let q = r == n - 1 ? 1 : (Double(r) + 0.5) / Double(n - 1)
            return sketch.quantile(q) ?? .infinity
        }
        var lo: Int64 = 0
        var hi = n
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if value(mid) <= threshold { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
