import TSDB

/// Window aggregates, rates and raw reads of single series, planned over raw and rollups.
public struct WindowQuery: Sendable {
    public let store: Store
    public let options: QueryOptions

    /// A query API over `store`.
    public init(store: Store, options: QueryOptions = QueryOptions()) {
        self.store = store
        self.options = options
    }

    /// The aggregate of `ref` over `[from, to)`.
    public func aggregate(_ ref: SeriesRef, from: Int64, to: Int64) throws -> WindowAggregate {
        try aggregate(ref, from: from, to: to, needsQuantile: false)
    }

    /// As `aggregate(_:from:to:)`; with `needsQuantile`, when the rollups read carry no sketch
    /// (gauge, counter, or no bucket with data) and raw samples cover the window, the window is
    /// read from raw only, so quantiles are exact instead of nil.
    public func aggregate(_ ref: SeriesRef, from: Int64, to: Int64, needsQuantile: Bool) throws -> WindowAggregate {
        let levels = WindowPlan.Levels(store: store, options: options)
        let plan = WindowPlan.make(from: from, to: to, levels: levels)
        let agg = try WindowData.read(store, ref, pieces: plan.pieces, mergeGap: 0).aggregate(plan, from: from, to: to)
        if needsQuantile, agg.lacksSketches, from >= levels.availableFrom[0] {
            let rawPlan = WindowPlan(pieces: [WindowPiece(resolution: .raw, from: from, to: to)])
            return try WindowData.read(store, ref, pieces: rawPlan.pieces, mergeGap: 0).aggregate(rawPlan, from: from, to: to)
        }
        return agg
    }

    /// Per-second rate of a counter over `[from, to)`: counterIncrease / window seconds; nil
    /// with fewer than two samples.
    public func rate(_ ref: SeriesRef, from: Int64, to: Int64) throws -> Double? {
        guard let inc = try increase(ref, from: from, to: to) else { return nil }
        return inc / (Double(to - from) / 1000)
    }

    /// Counter increase over `[from, to)` with resets handled (no extrapolation); nil with
    /// fewer than two samples.
    public func increase(_ ref: SeriesRef, from: Int64, to: Int64) throws -> Double? {
        let agg = try aggregate(ref, from: from, to: to)
        return agg.count < 2 ? nil : agg.counterIncrease
    }

    /// Prometheus-like irate: the last two raw samples in `[from, to)` (a reset counts the
    /// new value); nil with fewer than two samples or equal timestamps.
    public func irate(_ ref: SeriesRef, from: Int64, to: Int64) throws -> Double? {
        let s = try samples(ref, from: from, to: to)
        guard s.count >= 2 else { return nil }
        let (t0, t1) = (s.timestamps[s.count - 2], s.timestamps[s.count - 1])
        let (v0, v1) = (s.values[s.count - 2], s.values[s.count - 1])
        guard t1 > t0 else { return nil }
        return (v1 < v0 ? v1 : v1 - v0) / (Double(t1 - t0) / 1000)
    }

    /// Raw samples in `[from, to)` (for instant selectors and irate).
    public func samples(_ ref: SeriesRef, from: Int64, to: Int64) throws -> SampleColumns {
        try store.samples(ref, from: from, to: to)
    }
}
