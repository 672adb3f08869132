/// Blocks that a compaction rewrites together, and the ladder ranges their outputs cover (one
/// output block per range). Groups are independent: no block and no range is in two groups.
struct CompactionGroup {
    /// Sorted by `(minT, name)`, the order whose merge keeps equal timestamps in arrival order.
    var inputs: [BlockReader] = []
    var ranges: [LadderRange] = []
}

/// What one compaction does: which raw blocks are rewritten into which ladder ranges, what
/// retention drops, and the times both count from. Its cost follows the data: a block is read
/// while planning only when it spans several ranges, and only the ranges that hold samples
/// exist, whatever the time between them.
struct CompactionPlan {
    var rawGroups: [CompactionGroup] = []
    /// Rolled-up raw blocks wholly past raw retention: deleted without rewriting.
    var expiredRaw: [BlockReader] = []
    /// Rollup blocks past their resolution's retention.
    var expiredRollups: [BlockReader] = []
    /// Samples older than this are not carried into outputs (already or now rolled up).
    var rawCutoff: Int64 = .min
    /// Ranges ending at or before this are complete and may be merged into longer ones.
    var settled: Int64 = .min
    var reference: Int64?
    var rawLadder: BlockLadder

    var inputs: [BlockReader] { rawGroups.flatMap(\.inputs) }
    var isEmpty: Bool { rawGroups.isEmpty && expiredRaw.isEmpty && expiredRollups.isEmpty }

    static func make(
        raw: [BlockReader], rollups: [Int64: [BlockReader]], reference: Int64?, options: StoreOptions
    ) throws(StoreError) -> CompactionPlan {
        let ladder = BlockLadder.forBlocks(blockDuration: options.blockDuration, retention: options.retentionRaw)
        var plan = CompactionPlan(rawLadder: ladder)
        plan.reference = reference
        if let reference {
            plan.settled = reference &- options.outOfOrderWindow
            if options.retentionRaw > 0 { plan.rawCutoff = reference &- options.retentionRaw }
        }
        var placed: [PlacedBlock] = []
        for b in raw where b.meta.samples > 0 {
            let ranges = try ladder.ranges(of: b, from: b.meta.minT, to: b.meta.maxT, settled: plan.settled)
            placed.append(PlacedBlock(block: b, ranges: ranges, mustRewrite: !b.meta.rolledUp))
        }
        plan.rawGroups = groups(placed, seeds: [])
        let rewritten = Set(plan.inputs.map(\.path))
        for b in raw where !rewritten.contains(b.path) && b.meta.rolledUp && b.meta.maxT < plan.rawCutoff {
            plan.expiredRaw.append(b)
        }
        if let reference {
            for (resolution, blocks) in rollups {
                let keep = options.retention(forResolution: resolution)
                guard keep > 0 else { continue }
                for b in blocks where b.lastBucketStart &+ resolution <= reference &- keep { plan.expiredRollups.append(b) }
            }
        }
        return plan
    }

    /// A block and the ladder ranges its samples fall in.
    struct PlacedBlock {
        var block: BlockReader
        var ranges: Set<LadderRange>
        /// Rewritten even when alone in its range (raw blocks not rolled up yet).
        var mustRewrite: Bool
    }

    /// The connected groups of dirty ranges and the blocks in them. A range is dirty when it is
    /// a seed (new rollup buckets land there), holds several blocks, a block that must be
    /// rewritten, or a block that spans several ranges; every block in a dirty range is an
    /// input, and every range such an input touches is rewritten with it.
    static func groups(_ placed: [PlacedBlock], seeds: Set<LadderRange>) -> [CompactionGroup] {
        var blocksIn: [LadderRange: [Int]] = [:]
        for (i, p) in placed.enumerated() { for r in p.ranges { blocksIn[r, default: []].append(i) } }
        var dirty = seeds
        for (r, members) in blocksIn where members.count > 1 { dirty.insert(r) }
        for p in placed where p.ranges.count > 1 || p.mustRewrite { dirty.formUnion(p.ranges) }
        var visitedRanges = Set<LadderRange>()
        var visitedBlocks = Set<Int>()
        var out: [CompactionGroup] = []
        for seed in dirty.sorted() where !visitedRanges.contains(seed) {
            var group = CompactionGroup()
            var queue = [seed]
            visitedRanges.insert(seed)
            while let r = queue.popLast() {
                group.ranges.append(r)
                for i in blocksIn[r] ?? [] where visitedBlocks.insert(i).inserted {
                    group.inputs.append(placed[i].block)
                    for other in placed[i].ranges where visitedRanges.insert(other).inserted { queue.append(other) }
                }
            }
            group.ranges.sort()
            group.inputs.sort { ($0.meta.minT, $0.name) < ($1.meta.minT, $1.name) }
            out.append(group)
        }
        return out
    }
}

extension BlockLadder {
    /// The ranges a block's samples (or bucket starts) in `[from, to]` fall in: one range when
    /// both ends share it, else read from the block (the only case that reads while planning).
    func ranges(
        of block: BlockReader, from: Int64, to: Int64, settled: Int64, raw: [BlockReader] = []
    ) throws(StoreError) -> Set<LadderRange> {
        let first = range(of: from, settled: settled)
        if first.contains(to) { return [first] }
        var out: Set<LadderRange> = []
        for e in block.entries {
            let lo = range(of: e.minT, settled: settled)
            if lo.contains(e.maxT) {
                out.insert(lo)
                continue
            }
            let times: [Int64] =
                block.meta.kind == .raw
                ? try block.samples(of: e.id).timestamps
                : try block.buckets(of: e.id, cached: false, withSketch: false, raw: raw).map(\.start)
            var current = lo
            out.insert(current)
            for t in times where !current.contains(t) {
                current = range(of: t, settled: settled)
                out.insert(current)
            }
        }
        return out
    }
}

extension BlockReader {
    /// The latest bucket start of a rollup block (its meta's maxT may be a later sample time).
    var lastBucketStart: Int64 { entries.reduce(meta.minT) { max($0, $1.maxT) } }
}
