import TSDB

/// Which data answers which stretch of a window when counting events under a latency threshold.
///
/// The finest level still retained answers each stretch: raw samples where raw has not expired
/// (retention counts back from the store's newest sample), then the finest rollup retained, and
/// the coarsest rollup for everything older. Zone boundaries are moved up to the next coarser
/// bucket boundary, as the query planner does, so no bucket is half raw. A rollup piece counts
/// the buckets whose START lies in it: at an unaligned window edge a straddling bucket is counted
/// whole or left out (`approximateEdges`).
struct SLOReadPlan: Equatable {
    /// Raw samples, or rollup buckets of a resolution (ms).
    enum Source: Equatable {
        case raw
        case rollup(Int64)
    }

    /// One stretch `[from, to)` and its source.
    struct Piece: Equatable {
        var source: Source
        var from: Int64
        var to: Int64
    }

    var pieces: [Piece] = []
    /// A rollup piece has an edge off its bucket grid.
    var approximateEdges = false

    /// Plans `[from, to)` for `resolutions` (ascending) and, per level (raw first), the oldest
    /// time it is complete from.
    static func make(from: Int64, to: Int64, resolutions: [Int64], availableFrom: [Int64]) -> SLOReadPlan {
        var plan = SLOReadPlan()
        guard from < to else { return plan }
        var zoneEnd = Int64.max
        var previousStart = Int64.max
        for level in 0...resolutions.count {
            // Level `level` answers [start, zoneEnd); the coarsest level reaches back forever.
            var start = Int64.min
            if level < resolutions.count {
                start = Swift.min(TimeGrid.ceil(availableFrom[level], resolutions[level]), previousStart)
            }
            previousStart = start
            let a = Swift.max(from, start)
            let b = Swift.min(to, zoneEnd)
            zoneEnd = start
            guard a < b else { continue }
            if level == 0 {
                plan.pieces.append(Piece(source: .raw, from: a, to: b))
            } else {
                let r = resolutions[level - 1]
                if TimeGrid.ceil(a, r) != a || TimeGrid.ceil(b, r) != b { plan.approximateEdges = true }
                plan.pieces.append(Piece(source: .rollup(r), from: a, to: b))
            }
        }
        plan.pieces.sort { $0.from < $1.from }
        return plan
    }

    /// The plan for `[from, to)` in `store` as it is now.
    static func make(from: Int64, to: Int64, store: Store) -> SLOReadPlan {
        let o = store.options
        let resolutions = o.rollupResolutions.sorted()
        let newest = store.newestTimestamp
        func available(_ keep: Int64) -> Int64 {
            guard let newest, keep > 0 else { return .min }
            return newest &- keep
        }
        let availableFrom = [available(o.retentionRaw)] + resolutions.map { available(o.retention(forResolution: $0)) }
        return make(from: from, to: to, resolutions: resolutions, availableFrom: availableFrom)
    }
}
