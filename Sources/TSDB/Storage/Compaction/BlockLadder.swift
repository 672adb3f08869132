/// One aligned range of the compaction ladder: `[start, start + span)` at `level` (1 = the
/// base span, each next level three times longer, as Prometheus does with 2 h, 6 h, 18 h...).
struct LadderRange: Hashable, Comparable {
    var start: Int64
    var span: Int64
    var level: Int

    var end: Int64 { TimeGrid.rangeEnd(start, span) }

    static func < (a: LadderRange, b: LadderRange) -> Bool { (a.start, a.span) < (b.start, b.span) }

    func contains(_ t: Int64) -> Bool { t >= start && t < end }
}

/// The exponentially longer aligned ranges blocks are merged into as they age. Every range of
/// a level is epoch-aligned and holds exactly three ranges of the level below, so the ranges
/// chosen for different timestamps are either equal or disjoint.
struct BlockLadder {
    static let factor: Int64 = 3
    /// The longest block span when retention sets no lower bound: 1458 h (60.75 days) with the
    /// default 2 h base, enough that a series sampled every hour fills a block with ~1500 samples.
    static let maxLevels = 7

    let base: Int64
    let levels: Int

    /// A ladder from `base` up to the longest span not over `maxSpan` (at least the base).
    init(base: Int64, maxSpan: Int64) {
        self.base = max(1, base)
        var levels = 1
        var span = self.base
        while levels < BlockLadder.maxLevels {
            let (next, overflow) = span.multipliedReportingOverflow(by: BlockLadder.factor)
            guard !overflow, next <= maxSpan else { break }
            span = next
            levels += 1
        }
        self.levels = levels
    }

    /// The ladder of a kind of block: raw blocks start at the block duration; rollups at the
    /// block duration rounded up to a multiple of their resolution (a bucket never straddles
    /// two blocks). With a retention, the longest span is a tenth of it (so retention drops
    /// data in steps of at most 10 %); without one, the ladder's top.
    static func forBlocks(blockDuration: Int64, resolution: Int64 = 1, retention: Int64) -> BlockLadder {
        let base = TimeGrid.ceil(blockDuration, max(1, resolution))
        return BlockLadder(base: base, maxSpan: retention > 0 ? max(base, retention / 10) : .max)
    }

    func span(ofLevel level: Int) -> Int64 {
        var span = base
        for _ in 1..<max(1, level) { span = span.multipliedReportingOverflow(by: BlockLadder.factor).partialValue }
        return span
    }

    /// The range a sample (or bucket start) at `t` is compacted into: the longest level whose
    /// aligned range holding `t` has ended by `settled` (no more samples are expected there),
    /// the base range otherwise.
    func range(of t: Int64, settled: Int64) -> LadderRange {
        var best = LadderRange(start: TimeGrid.floor(t, base), span: base, level: 1)
        var span = base
        for level in stride(from: 2, through: levels, by: 1) {
            span = span.multipliedReportingOverflow(by: BlockLadder.factor).partialValue
            let candidate = LadderRange(start: TimeGrid.floor(t, span), span: span, level: level)
            guard candidate.end <= settled else { break }
            best = candidate
        }
        return best
    }
}
