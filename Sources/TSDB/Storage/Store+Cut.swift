extension Store {
    /// Writes the whole head as one level-0 raw block, records in the checkpoint that every WAL
    /// record up to the head's last one is in blocks, and drops the WAL segments that only held
    /// such records. Caller holds the state lock.
    func cutHead() throws(StoreError) {
        guard !head.isEmpty else { return }
        var encoded: [EncodedSeries] = []
        encoded.reserveCapacity(head.series.count)
        for (id, s) in head.series.sorted(by: { $0.key < $1.key }) where s.count > 0 {
            let (ts, vs) = s.sortedColumns()
            encoded.append(
                EncodedSeries(
                    id: id, labels: series[id].labels, minT: ts[0], maxT: ts[ts.count - 1], count: ts.count,
                    columns: [ColumnCodec.encodeTimestamps(ts), ColumnCodec.encodeValues(vs)]))
        }
        var meta = BlockMeta(
            kind: .raw, minT: head.minT, maxT: head.maxT, samples: Int64(head.sampleCount), series: Int64(encoded.count))
        meta.minSeq = head.firstAppliedSeq
        meta.maxSeq = head.lastAppliedSeq
        meta.sources = positions
        do {
            let path = try BlockWriter.write(
                parent: blocksDirectory, name: Store.blockName(minT: meta.minT, maxT: meta.maxT, seq: meta.maxSeq),
                meta: meta, series: encoded, fs: fs)
            rawBlocks.append(try BlockReader(path: path, fs: fs))
        } catch let e as IOError {
            throw .io(e)
        } catch let e as StoreError {
            throw e
        } catch {
            throw .corruption(CorruptionError(file: blocksDirectory, offset: 0, reason: "\(error)"))
        }
        flushedSeq = head.lastAppliedSeq
        head.reset()
        statsStorage.headCuts += 1
        // The block is durable and names its WAL seqs, so recovery is right even if these fail.
        try? writeCheckpoint()
        try? wal.rotate()
        wal.removeSegments(throughSeq: flushedSeq)
    }

    /// `<minT>-<maxT>-<seq>` in fixed-width hex, so names sort by time and never collide.
    static func blockName(minT: Int64, maxT: Int64, seq: UInt64, suffix: String = "") -> String {
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        // Offset by 2^63 so negative times sort before positive ones.
        let bias = UInt64(1) << 63
        return hex(UInt64(bitPattern: minT) ^ bias) + "-" + hex(UInt64(bitPattern: maxT) ^ bias) + "-" + hex(seq) + suffix
    }

    /// Cuts the head now (e.g. before an export or a compaction of a store at rest).
    public func flush() throws(StoreError) {
        try stateLock.withLock { () throws(StoreError) in
            guard !isClosed else { throw StoreError.closed }
            try cutHead()
        }
    }
}
