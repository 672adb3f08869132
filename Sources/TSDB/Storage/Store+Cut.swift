extension Store {
    /// Takes the head out of service (it becomes a frozen head, still read by queries) and
    /// starts an empty one, rotating the WAL so the frozen records sit in closed segments.
    /// Cheap: the block is written later by `writeFrozenHeads`, outside the state lock.
    /// Caller holds the state lock.
    func freezeHead() {
        guard !head.isEmpty else { return }
        let next = Head()
        next.lastAppliedSeq = head.lastAppliedSeq
        head.positionsAtFreeze = positions
        frozenHeads.append(head)
        head = next
        try? wal.rotate()
        statsStorage.headCuts += 1
    }

    /// Writes every frozen head as a level-0 raw block, oldest first. Neither the block write
    /// nor its fsyncs hold the state lock: appends and reads go on. A failure (full disk) keeps
    /// the frozen head, still readable and in the WAL, for the next attempt.
    /// Returns the number of blocks written.
    @discardableResult
    func writeFrozenHeads() throws(StoreError) -> Int {
        cutLock.lock()
        defer { cutLock.unlock() }
        var written = 0
        while let frozen = stateLock.withLock({ isClosed ? nil : frozenHeads.first }) {
            let table = stateLock.withLock { series }
            let reader: BlockReader
            do {
                reader = try writeBlock(of: frozen, table: table)
            } catch {
                stateLock.withLock { statsStorage.cutFailures += 1 }
                throw error
            }
            let checkpoint = stateLock.withLock { () -> Checkpoint in
                rawBlocks.append(reader)
                rawBlocks.sort { ($0.meta.minT, $0.name) < ($1.meta.minT, $1.name) }
                frozenHeads.removeFirst()
                flushedSeq = max(flushedSeq, frozen.lastAppliedSeq)
                return makeCheckpoint(flushedSeq: frozen.lastAppliedSeq, sources: frozen.positionsAtFreeze)
            }
            // The block is durable and names its WAL seqs, so recovery is right even if these fail.
            try? fs.writeAtomically(directory + "/" + FileNames.checkpoint, checkpoint.encode())
            stateLock.withLock { wal.removeSegments(throughSeq: checkpoint.flushedSeq) }
            written += 1
        }
        return written
    }

    private func writeBlock(of frozen: Head, table: SeriesTable) throws(StoreError) -> BlockReader {
        var encoded: [EncodedSeries] = []
        encoded.reserveCapacity(frozen.series.count)
        for (id, s) in frozen.series.sorted(by: { $0.key < $1.key }) where s.count > 0 {
            let (ts, vs) = s.sortedColumns()
            encoded.append(
                EncodedSeries(
                    id: id, labels: table[id].labels, minT: ts[0], maxT: ts[ts.count - 1], count: ts.count,
                    columns: [ColumnCodec.encodeTimestamps(ts), ColumnCodec.encodeValues(vs)]))
        }
        var meta = BlockMeta(
            kind: .raw, minT: frozen.minT, maxT: frozen.maxT, samples: Int64(frozen.sampleCount), series: Int64(encoded.count))
        meta.minSeq = frozen.firstAppliedSeq
        meta.maxSeq = frozen.lastAppliedSeq
        meta.sources = frozen.positionsAtFreeze
        do {
            let path = try BlockWriter.write(
                parent: blocksDirectory, name: Store.blockName(minT: meta.minT, maxT: meta.maxT, seq: meta.maxSeq),
                meta: meta, series: encoded, fs: fs)
            return try BlockReader(path: path, fs: fs)
        } catch let e as IOError {
            throw .io(e)
        } catch let e as StoreError {
            throw e
        } catch {
            throw .corruption(CorruptionError(file: blocksDirectory, offset: 0, reason: "\(error)"))
        }
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

    /// Cuts the head now and writes it (e.g. before an export or a compaction of a store at rest).
    public func flush() throws(StoreError) {
        try stateLock.withLock { () throws(StoreError) in
            guard !isClosed else { throw StoreError.closed }
            freezeHead()
        }
        try writeFrozenHeads()
    }

    /// Heads waiting for their block (the background compactor's first job).
    public var frozenHeadCount: Int { stateLock.withLock { frozenHeads.count } }
}

extension Store {
    /// Hands head cuts to a background writer (nil: appenders write the block after their commit).
    public func setCutHandler(_ handler: (@Sendable () -> Void)?) { stateLock.withLock { cutRequested = handler } }

    /// Freezes a head whose block range ended more than `grace` ago by the store's clock, so
    /// that its rollups become durable although no newer sample arrived to cut it.
    public func cutIdleHead(grace: Int64) {
        let now = options.clock()
        let frozen = stateLock.withLock { () -> Bool in
            guard !isClosed, !head.isEmpty, now >= headRangeEnd &+ grace else { return false }
            freezeHead()
            return true
        }
        if frozen { _ = try? writeFrozenHeads() }
    }
}
