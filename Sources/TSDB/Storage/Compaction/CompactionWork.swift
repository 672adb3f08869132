/// The outputs of one compaction, written unpublished (`*.tmp`) until `Store.publish`.
struct CompactionWork {
    let store: Store
    let table: SeriesTable
    let plan: CompactionPlan
    var outputs: [(tmp: String, final: String)] = []
    var replacedRollups: [BlockReader] = []
    /// resolution -> series -> buckets (sorted) built from samples not rolled up before.
    private var fresh: [Int64: [UInt32: [RollupBucket]]] = [:]

    init(store: Store, table: SeriesTable, plan: CompactionPlan) {
        self.store = store
        self.table = table
        self.plan = plan
    }

    /// One aligned block per dirty range: the merged samples of every input overlapping it,
    /// minus what raw retention has passed; not-yet-rolled-up samples feed `fresh` rollups.
    mutating func rewriteRawRanges(_ report: inout CompactionReport) throws {
        let d = store.options.blockDuration
        let resolutions = store.options.rollupResolutions
        report.rawBlocksIn = plan.inputs.count
        for start in plan.ranges {
            let end = start &+ d
            let inputs = plan.inputs.filter { $0.overlaps(start, end) }
            var all: [UInt32: [(timestamps: [Int64], values: [Double])]] = [:]
            var new: [UInt32: [(timestamps: [Int64], values: [Double])]] = [:]
            for b in inputs {
                for e in b.entries where e.minT < end && e.maxT >= start {
                    let part = try b.samples(of: e.id, from: start, to: end)
                    guard !part.timestamps.isEmpty else { continue }
                    all[e.id, default: []].append(part)
                    if !b.meta.rolledUp { new[e.id, default: []].append(part) }
                }
            }
            var encoded: [EncodedSeries] = []
            var samples: Int64 = 0
            var minT = Int64.max
            var maxT = Int64.min
            for id in all.keys.sorted() {
                if let parts = new[id], let finest = resolutions.first {
                    let merged = Store.merge(parts)
                    report.samplesRolledUp += merged.count
                    let withSketch = table[id].kind == .event
                    var buckets = merged.timestamps.withUnsafeBufferPointer { ts in
                        merged.values.withUnsafeBufferPointer { vs in
                            Rollups.build(timestamps: ts, values: vs, resolution: finest, withSketch: withSketch)
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
                guard keepFrom < merged.count else { continue }
                let ts = Array(merged.timestamps[keepFrom...])
                let vs = Array(merged.values[keepFrom...])
                encoded.append(
                    EncodedSeries(
                        id: id, labels: table[id].labels, minT: ts[0], maxT: ts[ts.count - 1], count: ts.count,
                        columns: [ColumnCodec.encodeTimestamps(ts), ColumnCodec.encodeValues(vs)]))
                samples += Int64(ts.count)
                minT = min(minT, ts[0])
                maxT = max(maxT, ts[ts.count - 1])
            }
            guard !encoded.isEmpty else { continue }
            let newest = inputs.max { $0.meta.maxSeq < $1.meta.maxSeq }
            var meta = BlockMeta(kind: .raw, minT: minT, maxT: maxT, samples: samples, series: Int64(encoded.count))
            meta.minSeq = inputs.map(\.meta.minSeq).min() ?? 0
            meta.maxSeq = newest?.meta.maxSeq ?? 0
            meta.sources = newest?.meta.sources ?? [:]
            meta.level = UInt8(min(255, Int(inputs.map(\.meta.level).max() ?? 0) + 1))
            meta.rolledUp = true
            try addOutput(parent: store.blocksDirectory, meta: meta, series: encoded)
            report.rangesRewritten += 1
            report.rawBlocksOut += 1
        }
    }

    /// Merges the fresh buckets into the rollup blocks of the days they fall in (one block per
    /// resolution and UTC day), dropping buckets past that resolution's retention.
    mutating func mergeRollups(_ existing: [Int64: [BlockReader]], _ report: inout CompactionReport) throws {
        let day = StoreOptions.day
        let newest = store.newestTimestamp
        for (resolution, perSeries) in fresh.sorted(by: { $0.key < $1.key }) {
            var days = Set<Int64>()
            for buckets in perSeries.values { for b in buckets { days.insert(TimeGrid.floor(b.start, day)) } }
            let expired = Set(plan.expiredRollups.map(\.path))
            let old = (existing[resolution] ?? []).filter { b in
                !expired.contains(b.path) && days.contains { b.meta.minT < $0 &+ day && b.meta.maxT >= $0 }
            }
            replacedRollups += old
            report.rollupBlocksIn += old.count
            var merged: [Int64: [UInt32: [RollupBucket]]] = [:]  // day -> series -> buckets
            var ids = Set(perSeries.keys)
            for b in old { ids.formUnion(b.entries.map(\.id)) }
            let keep = store.options.retention(forResolution: resolution)
            let cutoff = keep > 0 ? (newest.map { $0 &- keep } ?? .min) : Int64.min
            for id in ids {
                var buckets = perSeries[id] ?? []
                buckets.sort { $0.start < $1.start }
                buckets = Rollups.merge([], buckets)
                for b in old { buckets = Rollups.merge(buckets, try b.buckets(of: id)) }
                for bucket in buckets where bucket.start &+ resolution > cutoff {
                    merged[TimeGrid.floor(bucket.start, day), default: [:]][id, default: []].append(bucket)
                }
            }
            for (dayStart, series) in merged.sorted(by: { $0.key < $1.key }) {
                var encoded: [EncodedSeries] = []
                var covered: Int64 = 0
                var buckets: Int64 = 0
                var newest = Int64.min
                for (id, list) in series.sorted(by: { $0.key < $1.key }) {
                    let chunks = Self.chunked(list, span: resolution * Self.bucketsPerChunk)
                    var e = EncodedSeries(
                        id: id, labels: table[id].labels, minT: list[0].start, maxT: list[list.count - 1].start, count: list.count,
                        columns: chunks.map { RollupCodec.encode($0) })
                    e.chunks = chunks.map { ($0[0].start, $0.count) }
                    encoded.append(e)
                    covered += list.reduce(0) { $0 + $1.count }
                    newest = list.reduce(newest) { max($0, $1.lastTimestamp) }
                    buckets += Int64(list.count)
                }
                var meta = BlockMeta(
                    kind: .rollup, minT: encoded.map(\.minT).min() ?? dayStart, maxT: max(newest, encoded.map(\.maxT).max() ?? dayStart),
                    samples: covered, series: Int64(encoded.count))
                meta.resolution = resolution
                meta.buckets = buckets
                meta.level = 1
                try addOutput(parent: store.rollupDirectory(resolution), meta: meta, series: encoded)
                report.rollupBlocksOut += 1
            }
        }
    }

    /// Rollup columns are split every 60 buckets (an hour of 1 m buckets), aligned, so a short
    /// window decodes one chunk instead of the day.
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
        let tmp = try BlockWriter.writeUnpublished(parent: parent, name: name, meta: meta, series: series, fs: store.fs)
        outputs.append((tmp, parent + "/" + name))
    }
}
