/// Which raw blocks a compaction rewrites, into which aligned ranges, and what retention drops.
struct CompactionPlan {
    /// Aligned `[start, start + blockDuration)` ranges to rewrite, ascending.
    var ranges: [Int64] = []
    /// Raw blocks read (and replaced) by the rewrite.
    var inputs: [BlockReader] = []
    /// Rolled-up raw blocks wholly past raw retention: deleted without rewriting.
    var expiredRaw: [BlockReader] = []
    /// Rollup blocks past their resolution's retention.
    var expiredRollups: [BlockReader] = []
    /// Samples older than this are not carried into outputs (already or now rolled up).
    var rawCutoff: Int64 = .min

    var isEmpty: Bool { ranges.isEmpty && expiredRaw.isEmpty && expiredRollups.isEmpty }

    /// A raw block needs rewriting when it is not rolled up yet, spans several aligned ranges,
    /// or shares its range with another block.
    static func make(raw: [BlockReader], rollups: [Int64: [BlockReader]], newest: Int64?, options: StoreOptions) -> CompactionPlan {
        var plan = CompactionPlan()
        let d = options.blockDuration
        if let newest, options.retentionRaw > 0 { plan.rawCutoff = newest &- options.retentionRaw }
        var perRange: [Int64: [BlockReader]] = [:]
        var dirty = Set<Int64>()
        for b in raw where b.meta.samples > 0 {
            let first = TimeGrid.floor(b.meta.minT, d)
            let last = TimeGrid.floor(b.meta.maxT, d)
            var r = first
            while r <= last {
                perRange[r, default: []].append(b)
                if !b.meta.rolledUp || first != last { dirty.insert(r) }
                r += d
            }
        }
        for (r, blocks) in perRange where blocks.count > 1 { dirty.insert(r) }
        // A dirty range pulls in every block overlapping it; a block spanning ranges dirties them all.
        var changed = true
        while changed {
            changed = false
            for r in dirty {
                for b in perRange[r] ?? [] {
                    var s = TimeGrid.floor(b.meta.minT, d)
                    while s <= b.meta.maxT {
                        if dirty.insert(s).inserted { changed = true }
                        s += d
                    }
                }
            }
        }
        plan.ranges = dirty.sorted()
        var seen = Set<String>()
        for r in plan.ranges {
            for b in perRange[r] ?? [] where seen.insert(b.path).inserted { plan.inputs.append(b) }
        }
        for b in raw where !seen.contains(b.path) && b.meta.rolledUp && b.meta.maxT < plan.rawCutoff {
            plan.expiredRaw.append(b)
        }
        if let newest {
            for (resolution, blocks) in rollups {
                let keep = options.retention(forResolution: resolution)
                guard keep > 0 else { continue }
                for b in blocks where TimeGrid.floor(b.meta.maxT, resolution) &+ resolution <= newest &- keep {
                    plan.expiredRollups.append(b)
                }
            }
        }
        return plan
    }
}
