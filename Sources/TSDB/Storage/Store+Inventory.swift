/// One block as `tsdb inspect` lists it.
public struct BlockInfo: Sendable {
    public var path: String
    public var meta: BlockMeta
    public var bytes: Int64
}

/// Everything on disk and in memory, with sizes, for `tsdb inspect`.
public struct StoreInventory: Sendable {
    public var rawBlocks: [BlockInfo] = []
    public var rollupBlocks: [BlockInfo] = []
    public var series = 0
    public var headSamples = 0
    public var walBytes: Int64 = 0
    public var checkpointBytes: Int64 = 0
    /// Regular files under the data directory (blocks, WAL segments, checkpoint, lock...).
    public var files = 0

    /// Raw samples in blocks (the head is in the WAL until it is cut).
    public var samples: Int64 { rawBlocks.reduce(0) { $0 + $1.meta.samples } }
    public var rawBytes: Int64 { rawBlocks.reduce(0) { $0 + $1.bytes } }
    public var rollupBytes: Int64 { rollupBlocks.reduce(0) { $0 + $1.bytes } }
    public var totalBytes: Int64 { rawBytes + rollupBytes + walBytes + checkpointBytes }

    /// Blocks per kind (`raw`, or the rollup resolution such as `1m`) and level.
    public var blocksByLevel: [BlockLevelKey: Int] {
        var out: [BlockLevelKey: Int] = [:]
        for b in rawBlocks + rollupBlocks { out[BlockLevelKey(b.meta), default: 0] += 1 }
        return out
    }
}

/// A kind of block and its compaction level, as `tsdb inspect` and `/metrics` count them.
public struct BlockLevelKey: Hashable, Sendable {
    public var kind: String
    public var level: Int

    public init(_ meta: BlockMeta) {
        kind = meta.kind == .raw ? "raw" : FileNames.resolutionName(meta.resolution)
        level = Int(meta.level)
    }
}

extension Store {
    public func inventory() -> StoreInventory {
        stateLock.withLock {
            var inv = StoreInventory()
            inv.rawBlocks = rawBlocks.map { BlockInfo(path: $0.path, meta: $0.meta, bytes: $0.sizeOnDisk) }
            inv.rollupBlocks = rollupBlocks.keys.sorted().flatMap { r in
                (rollupBlocks[r] ?? []).map { BlockInfo(path: $0.path, meta: $0.meta, bytes: $0.sizeOnDisk) }
            }
            inv.series = series.count
            inv.headSamples = head.sampleCount + frozenHeads.reduce(0) { $0 + $1.sampleCount }
            inv.walBytes = wal.totalBytes
            inv.checkpointBytes = fs.fileSize(directory + "/" + FileNames.checkpoint)
            inv.files = fs.countFiles(under: directory)
            return inv
        }
    }

    /// Raw samples per metric kind in blocks and their bytes (columns only), for bytes-per-sample
    /// figures split by kind.
    public func columnBytesByKind() throws(StoreError) -> [MetricKind: (samples: Int64, bytes: Int64)] {
        let (blocks, table) = stateLock.withLock { (rawBlocks, series) }
        var out: [MetricKind: (samples: Int64, bytes: Int64)] = [:]
        for b in blocks {
            for e in b.entries {
                let kind = table.contains(e.id) ? table[e.id].kind : .gauge
                let bytes = e.columns.reduce(Int64(0)) { $0 + Int64($1.length) + 4 }
                let current = out[kind] ?? (0, 0)
                out[kind] = (current.samples + Int64(e.count), current.bytes + bytes)
            }
        }
        return out
    }
}
