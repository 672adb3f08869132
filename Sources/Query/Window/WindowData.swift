import TSDB

/// The raw samples and rollup buckets of one series that a set of plans needs, read with as
/// few storage calls as possible, then sliced per window without further reads.
struct WindowData {
    /// Raw samples of the read stretches, concatenated (stretches are disjoint and ascending).
    var raw = SampleColumns()
    /// Buckets per resolution, likewise concatenated and sorted by start.
    var buckets: [Int64: [RollupBucket]] = [:]

    /// Reads what `pieces` need. Stretches of one level closer than `mergeGap` are read as one
    /// (fewer block decodes at the price of some unused samples).
    static func read(_ store: Store, _ ref: SeriesRef, pieces: [WindowPiece], mergeGap: Int64) throws -> WindowData {
        var data = WindowData()
        var byLevel: [Resolution: [(Int64, Int64)]] = [:]
        for p in pieces { byLevel[p.resolution, default: []].append((p.from, p.to)) }
        for (level, ranges) in byLevel {
            for (a, b) in merged(ranges, gap: mergeGap) {
                switch level {
                case .raw:
                    let part = try store.samples(ref, from: a, to: b)
                    if data.raw.count == 0 {
                        data.raw = part
                    } else {
                        data.raw.timestamps += part.timestamps
                        data.raw.values += part.values
                    }
                case .rollup(let r):
                    data.buckets[r, default: []] += try store.rollups(ref, resolution: r, from: a, to: b)
                }
            }
        }
        return data
    }

    /// Sorted union of ranges, joining those less than `gap` apart.
    static func merged(_ ranges: [(Int64, Int64)], gap: Int64) -> [(Int64, Int64)] {
        var out: [(Int64, Int64)] = []
        for (a, b) in ranges.sorted(by: { $0.0 < $1.0 }) {
            if let last = out.last, a <= last.1 || a &- last.1 <= gap {
                out[out.count - 1].1 = Swift.max(last.1, b)
            } else {
                out.append((a, b))
            }
        }
        return out
    }

    /// The aggregate of `[from, to)` answered by `plan`'s pieces from this data.
    func aggregate(_ plan: WindowPlan, from: Int64, to: Int64) -> WindowAggregate {
        var agg = WindowAggregate(from: from, to: to)
        agg.approximateEdges = plan.approximateEdges
        for p in plan.pieces {
            agg.resolutions.insert(p.resolution)
            switch p.resolution {
            case .raw:
                let ts = raw.timestamps
                let lo = lowerBound(ts, p.from) { $0 }
                let hi = lowerBound(ts, p.to) { $0 }
                if lo < hi { agg.addRaw(timestamps: ts[lo..<hi], values: raw.values[lo..<hi]) }
            case .rollup(let r):
                let bs = buckets[r] ?? []
                let lo = lowerBound(bs, p.from) { $0.start }
                let hi = lowerBound(bs, p.to) { $0.start }
                if lo < hi { agg.addBuckets(bs[lo..<hi]) }
            }
        }
        return agg
    }
}

/// First index whose key is >= `value` in an array sorted by key.
@inline(__always) func lowerBound<T>(_ a: [T], _ value: Int64, key: (T) -> Int64) -> Int {
    var lo = 0
    var hi = a.count
    while lo < hi {
        let mid = (lo + hi) >> 1
        if key(a[mid]) < value { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
