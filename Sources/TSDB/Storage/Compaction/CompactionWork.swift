/// The outputs of one compaction, written unpublished (`*.tmp`) until `Store.publish`.
struct CompactionWork {
    let store: Store
    let table: SeriesTable
    let plan: CompactionPlan
    var outputs: [(tmp: String, final: String)] = []
    var replacedRollups: [BlockReader] = []
    var bytesWritten: Int64 = 0
    /// resolution -> series -> buckets built from samples not rolled up before (unsorted).
    private var fresh: [Int64: [UInt32: [RollupBucket]]] = [:]

    init(store: Store, table: SeriesTable, plan: CompactionPlan) {
        self.store = store
        self.table = table
        self.plan = plan
    }

    /// One block per range of every raw group: the merged samples of the group's inputs,
    /// minus what raw retention has passed; samples not rolled up yet feed `fresh` rollups.
    mutating func rewriteRawGroups(_ report: inout CompactionReport) throws {
        let resolutions = store.options.rollupResolutions
        for group in plan.rawGroups {
            report.rawBlocksIn += group.inputs.count
            var all: [UInt32: [(timestamps: [Int64], values: [Double])]] = [:]
            var new: [UInt32: [(timestamps: [Int64], values: [Double])]] = [:]
            for b in group.inputs {
                for e in b.entries {
                    let part = try b.samples(of: e.id)
                    guard !part.timestamps.isEmpty else { continue }
                    all[e.id, default: []].append(part)
                    if !b.meta.rolledUp { new[e.id, default: []].append(part) }
                }
            }
            var perRange: [LadderRange: [EncodedSeries]] = [:]
            for id in all.keys.sorted() {
                if let parts = new[id], let finest = resolutions.first {
                    let merged = Store.merge(parts)
                    report.samplesRolledUp += merged.count
                    var buckets = merged.timestamps.withUnsafeBufferPointer { ts in
                        merged.values.withUnsafeBufferPointer { vs in
                            Rollups.build(timestamps: ts, values: vs, resolution: finest, withSketch: table[id].kind == .event)
                        }
                    }
                    fresh[finest, default: [:]][id, default: []].append(contentsOf: buckets)
                    for r in resolutions.dropFirst() {
                        buckets = Rollups.downsample(buckets, to: r)
                        fresh[r, default: [:]][id, default: []].append(contentsOf: buckets)
                    }
                }
                let merged = Store.merge(all[id] ?? [])
                let keepFrom = merged.timestamps.partitioningIndex { $0 >= plan.rawCutoff }
                report.samplesDropped += keepFrom
                var start = keepFrom
                while start < merged.count {
                    let range = plan.rawLadder.range(of: merged.timestamps[start], settled: plan.settled)
                    let end = merged.timestamps.partitioningIndex { $0 >= range.end }
                    let ts = Array(merged.timestamps[start..<end])
                    let vs = Array(merged.values[start..<end])
                    perRange[range, default: []].append(
                        EncodedSeries(
                            id: id, labels: table[id].labels, minT: ts[0], maxT: ts[ts.count - 1], count: ts.count,
                            columns: [ColumnCodec.encodeTimestamps(ts), ColumnCodec.encodeValues(vs)]))
                    start = end
                }
            }
            let newest = group.inputs.max { $0.meta.maxSeq < $1.meta.maxSeq }
            for (range, encoded) in perRange.sorted(by: { $0.key < $1.key }) {
                var meta = BlockMeta(
                    kind: .raw, minT: encoded.map(\.minT).min() ?? range.start, maxT: encoded.map(\.maxT).max() ?? range.start,
                    samples: encoded.reduce(0) { $0 + Int64($1.count) }, series: Int64(encoded.count))
                meta.minSeq = group.inputs.map(\.meta.minSeq).min() ?? 0
                meta.maxSeq = newest?.meta.maxSeq ?? 0
                meta.sources = newest?.meta.sources ?? [:]
                meta.level = UInt8(clamping: range.level)
                meta.rolledUp = true
                try addOutput(parent: store.blocksDirectory, meta: meta, series: encoded)
                report.rangesRewritten += 1
                report.rawBlocksOut += 1
            }
        }
    }

    /// Merges the fresh buckets into the rollup blocks of the ladder ranges they fall in, and
    /// merges rollup blocks up the ladder as their ranges complete, dropping buckets past
    /// their resolution's retention.
    mutating func mergeRollups(_ existing: [Int64: [BlockReader]], raw: [BlockReader], _ report: inout CompactionReport) throws {
        let expired = Set(plan.expiredRollups.map(\.path))
        for resolution in store.options.rollupResolutions {
            let ladder = BlockLadder.forBlocks(
                blockDuration: store.options.blockDuration, resolution: resolution,
                retention: store.options.retention(forResolution: resolution))
            var freshIn: [LadderRange: [UInt32: [RollupBucket]]] = [:]
            for (id, buckets) in fresh[resolution] ?? [:] {
                for b in Rollups.coalesce(buckets) {
                    freshIn[ladder.range(of: b.start, settled: plan.settled), default: [:]][id, default: []].append(b)
                }
            }
            var placed: [CompactionPlan.PlacedBlock] = []
            for b in existing[resolution] ?? [] where !expired.contains(b.path) && !b.entries.isEmpty {
                let ranges = try ladder.ranges(of: b, from: b.meta.minT, to: b.lastBucketStart, settled: plan.settled, raw: raw)
                placed.append(.init(block: b, ranges: ranges, mustRewrite: false))
            }
            let keep = store.options.retention(forResolution: resolution)
            let cutoff = keep > 0 ? (plan.reference.map { $0 &- keep } ?? .min) : Int64.min
            for group in CompactionPlan.groups(placed, seeds: Set(freshIn.keys)) {
                replacedRollups += group.inputs
                report.rollupBlocksIn += group.inputs.count
                var ids = Set<UInt32>()
                for b in group.inputs { ids.formUnion(b.entries.map(\.id)) }
                for r in group.ranges { ids.formUnion(freshIn[r]?.keys ?? [:].keys) }
                var perRange: [LadderRange: [UInt32: [RollupBucket]]] = [:]
                for id in ids {
                    var buckets: [RollupBucket] = []
                    let withSketch = table[id].kind == .event
                    for b in group.inputs {
                        buckets = Rollups.merge(buckets, try b.buckets(of: id, cached: false, withSketch: withSketch, raw: raw))
                    }
                    for r in group.ranges { if let f = freshIn[r]?[id] { buckets = Rollups.merge(buckets, f) } }
                    for bucket in buckets where bucket.start &+ resolution > cutoff {
                        perRange[ladder.range(of: bucket.start, settled: plan.settled), default: [:]][id, default: []].append(bucket)
                    }
                }
                let rawBacked = RawBackedRollups.allowed(resolution: resolution, options: store.options)
                for (range, series) in perRange.sorted(by: { $0.key < $1.key }) {
                    try addRollupOutput(range: range, resolution: resolution, series: series, rawBackedAllowed: rawBacked)
                    report.rollupBlocksOut += 1
                }
            }
        }
    }

    /// One rollup block for `range`; a series whose buckets hold fewer than two samples on
    /// average is written raw-backed (no columns) when `rawBackedAllowed`.
    private mutating func addRollupOutput(
        range: LadderRange, resolution: Int64, series: [UInt32: [RollupBucket]], rawBackedAllowed: Bool
    ) throws {
        var encoded: [EncodedSeries] = []
        var covered: Int64 = 0
        var buckets: Int64 = 0
        var newest = Int64.min
        var anyRawBacked = false
        for (id, list) in series.sorted(by: { $0.key < $1.key }) {
            let samples = list.reduce(Int64(0)) { $0 + $1.count }
            if rawBackedAllowed && RawBackedRollups.pays(buckets: list.count, samples: samples) {
                encoded.append(
                    EncodedSeries(
                        id: id, labels: table[id].labels, minT: list[0].start, maxT: list[list.count - 1].start, count: list.count,
                        columns: []))
                anyRawBacked = true
            } else {
                let chunks = Self.chunked(list, span: resolution * Self.bucketsPerChunk)
                var e = EncodedSeries(
                    id: id, labels: table[id].labels, minT: list[0].start, maxT: list[list.count - 1].start, count: list.count,
                    columns: chunks.map { RollupCodec.encode($0) })
                e.chunks = chunks.map { ($0[0].start, $0.count) }
                encoded.append(e)
            }
            covered += samples
            newest = list.reduce(newest) { max($0, $1.lastTimestamp) }
            buckets += Int64(list.count)
        }
        var meta = BlockMeta(
            kind: .rollup, minT: encoded.map(\.minT).min() ?? range.start,
            maxT: max(newest, encoded.map(\.maxT).max() ?? range.start), samples: covered, series: Int64(encoded.count))
        meta.resolution = resolution
        meta.buckets = buckets
        meta.rawBacked = anyRawBacked
        meta.level = UInt8(clamping: range.level)
        try addOutput(parent: store.rollupDirectory(resolution), meta: meta, series: encoded)
    }

    /// Rollup columns are split every 60 buckets (an hour of 1 m buckets), aligned, so a short
    /// window decodes one chunk instead of the whole block.
    static let bucketsPerChunk: Int64 = 60

    static func chunked(_ buckets: [RollupBucket], span: Int64) -> [[RollupBucket]] {
        var out: [[RollupBucket]] = []
        var currentKey = Int64.min
        for b in buckets {
            let key = TimeGrid.floor(b.start, span)
            if key != currentKey || out.isEmpty {
                out.append([])
                currentKey = key
            }
            out[out.count - 1].append(b)
        }
        return out
    }

    private mutating func addOutput(parent: String, meta: BlockMeta, series: [EncodedSeries]) throws {
        let suffix = "-L\(meta.level)-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let name = Store.blockName(minT: meta.minT, maxT: meta.maxT, seq: meta.maxSeq, suffix: suffix)
        let written = try BlockWriter.writeUnpublished(parent: parent, name: name, meta: meta, series: series, fs: store.fs)
        bytesWritten += BlockReader.bytes(in: written.tmp, fs: store.fs)
        outputs.append(written)
    }
}
