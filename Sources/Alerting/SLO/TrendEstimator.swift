import TSDB

/// Capacity trends from rollups: a least-squares line through per-bucket figures of a window.
public struct TrendEstimator: Sendable {
    /// What one rollup bucket contributes as a point.
    public enum Measure: Sendable, Equatable {
        /// Mean of the samples (gauges: memory, CPU, queue depth): sum of sums / sum of counts over the series.
        case average
        /// Events per second (event series: throughput), summed over the series.
        case eventRate
    }

    public let store: Store

    /// An estimator reading `store`.
    public init(store: Store) { self.store = store }

    /// One point per non-empty bucket of `resolution` lying wholly inside [from, to) (a partial
    /// bucket would skew rates), at the bucket's middle, combining every series matching `matchers`.
    public func points(
        _ matchers: [LabelMatcher], from: Int64, to: Int64, resolution: Int64 = StoreOptions.hour, measure: Measure = .average
    ) throws(StoreError) -> [Sample] {
        var sums: [Int64: (sum: Double, count: Int64)] = [:]
        for info in store.select(matchers) {
            for b in try store.rollups(info.ref, resolution: resolution, from: from, to: to)
            where b.start >= from && b.start &+ resolution <= to && b.count > 0 {
                sums[b.start, default: (0, 0)].sum += b.sum
                sums[b.start, default: (0, 0)].count += b.count
            }
        }
        let seconds = Double(resolution) / 1000
        return sums.keys.sorted().compactMap { start in
            guard let s = sums[start] else { return nil }
            let v = measure == .average ? s.sum / Double(s.count) : Double(s.count) / seconds
            return Sample(start + resolution / 2, v)
        }
    }

    /// The trend of the matching series over [end - window, end); nil with fewer than two points.
    public func trend(
        _ matchers: [LabelMatcher], end: Int64, window: Int64, resolution: Int64 = StoreOptions.hour, measure: Measure = .average
    ) throws(StoreError) -> Trend? {
        Trend.fit(try points(matchers, from: end &- window, to: end, resolution: resolution, measure: measure))
    }
}
