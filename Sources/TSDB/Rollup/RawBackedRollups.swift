/// Rollup entries that do not duplicate raw samples. A series sampled at or below a rollup's
/// resolution (fewer than two samples a bucket) gains nothing from stored buckets: each one
/// repeats its single sample. While the raw samples outlive the rollup, such an entry is
/// written without columns and its buckets are built from the rolled-up raw samples in its
/// bucket range whenever they are read (docs/FORMAT.md, block meta version 2).
enum RawBackedRollups {
    /// Raw outlives the rollups of `resolution`, so raw-backed entries can never lose data.
    static func allowed(resolution: Int64, options: StoreOptions) -> Bool {
        let keep = options.retention(forResolution: resolution)
        return options.retentionRaw == 0 || (keep > 0 && keep <= options.retentionRaw)
    }

    /// Stored buckets would cost about as much as the raw samples they summarise.
    static func pays(buckets: Int, samples: Int64) -> Bool { Int64(buckets) * 2 > samples }

    /// Buckets of series `id` with starts in `[from, to)`, built from the rolled-up raw blocks.
    static func buckets(
        of id: UInt32, from: Int64, to: Int64, resolution: Int64, withSketch: Bool, raw: [BlockReader]
    ) throws(StoreError) -> [RollupBucket] {
        let end = TimeGrid.ceil(to, resolution)
        var parts: [(timestamps: [Int64], values: [Double])] = []
        for b in raw where b.meta.rolledUp && b.overlaps(from, end) {
            let part = try b.samples(of: id, from: from, to: end)
            if !part.timestamps.isEmpty { parts.append(part) }
        }
        let merged = Store.merge(parts)
        return merged.timestamps.withUnsafeBufferPointer { ts in
            merged.values.withUnsafeBufferPointer { vs in
                Rollups.build(timestamps: ts, values: vs, resolution: resolution, withSketch: withSketch)
            }
        }
    }
}

extension BlockReader {
    func isRawBacked(_ e: BlockSeriesEntry) -> Bool { meta.rawBacked && e.columns.isEmpty }

    /// A rollup block's buckets of `id` in `[from, to)`, stored or raw-backed.
    func buckets(
        of id: UInt32, from: Int64 = .min, to: Int64 = .max, cached: Bool = true, withSketch: Bool, raw: [BlockReader]
    ) throws(StoreError) -> [RollupBucket] {
        guard let e = entry(for: id) else { return [] }
        guard isRawBacked(e) else { return try buckets(of: id, from: from, to: to, cached: cached) }
        let lo = max(from, e.minT)
        let hi = min(to, e.maxT &+ 1)
        guard lo < hi else { return [] }
        return try RawBackedRollups.buckets(of: id, from: lo, to: hi, resolution: meta.resolution, withSketch: withSketch, raw: raw)
    }
}
