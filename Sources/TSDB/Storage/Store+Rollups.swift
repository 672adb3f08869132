extension Store {
    /// Rollup buckets of a series at `resolution` whose start lies in `[from, to)`: the durable
    /// rollups merged with buckets computed on the fly from samples not rolled up yet (the head
    /// and blocks no compaction has seen), so the answer is complete at any moment.
    public func rollups(_ ref: SeriesRef, resolution: Int64, from: Int64 = .min, to: Int64 = .max) throws(StoreError) -> [RollupBucket] {
        guard options.rollupResolutions.contains(resolution) else {
            throw .invalidOptions("no rollups at resolution \(resolution) ms; configured: \(options.rollupResolutions)")
        }
        let (blocks, allRaw, headParts, kind) = stateLock.withLock {
            (
                rollupBlocks[resolution] ?? [], rawBlocks,
                headSamples(of: ref.id, from: from == .min ? .min : TimeGrid.floor(from, resolution), to: to),
                series.contains(ref.id) ? series[ref.id].kind : .gauge
            )
        }
        let alignedFrom = from == .min ? Int64.min : TimeGrid.floor(from, resolution)
        var buckets: [RollupBucket] = []
        for b in blocks where b.meta.minT < to && b.meta.maxT >= alignedFrom {
            let part = try b.buckets(of: ref.id, from: alignedFrom, to: to, withSketch: kind == .event, raw: allRaw)
            buckets = Rollups.merge(buckets, part)
        }
        var parts: [(timestamps: [Int64], values: [Double])] = []
        for b in allRaw where !b.meta.rolledUp && b.overlaps(alignedFrom, to) {
            let part = try b.samples(of: ref.id, from: alignedFrom, to: to)
            if !part.timestamps.isEmpty { parts.append(part) }
        }
        parts += headParts
        if !parts.isEmpty {
            let merged = Store.merge(parts)
            let fresh = merged.timestamps.withUnsafeBufferPointer { ts in
                merged.values.withUnsafeBufferPointer { vs in
                    Rollups.build(timestamps: ts, values: vs, resolution: resolution, withSketch: kind == .event)
                }
            }
            buckets = Rollups.merge(buckets, fresh)
        }
        return buckets
    }
}
