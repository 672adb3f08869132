#if canImport(Glibc)
    import Glibc
#endif

extension Store {
    /// Everything `init` does after taking the lock, in crash-recovery order.
    func recover() throws(StoreError) {
        let started = monotonicSeconds()
        do {
            openReport.recoveredCompaction = try CompactionJournal.recover(store: self)
            try removeTemporaries()
            var checkpoint = Checkpoint()
            let checkpointPath = directory + "/" + FileNames.checkpoint
            if fs.exists(checkpointPath) {
                do {
                    checkpoint = try Checkpoint.decode(try fs.readFile(checkpointPath), file: checkpointPath)
                } catch let damage as CorruptionError {
                    // Blocks and the WAL carry every series with samples; rebuild from them.
                    openReport.corruptCheckpoint = damage
                    try quarantine(checkpointPath)
                }
            }
            for s in checkpoint.series { series.add(s.labels, kind: s.kind, id: s.id) }
            flushedSeq = checkpoint.flushedSeq
            positions = checkpoint.sources
            var positionsSeq = checkpoint.flushedSeq
            try loadBlocks()
            for block in rawBlocks {
                for e in block.entries { try adopt(e, from: block) }
                if block.meta.maxSeq > positionsSeq {
                    positionsSeq = block.meta.maxSeq
                    positions = block.meta.sources
                }
                flushedSeq = max(flushedSeq, block.meta.maxSeq)
            }
            for block in rollupBlocks.values.joined() {
                for e in block.entries { try adopt(e, from: block) }
            }
            let skipSamplesThrough = flushedSeq
            let (report, segments) = try WALReader.replay(
                directory: walDirectory, quarantine: quarantineDirectory, fs: fs, repair: true
            ) { record in
                var record = record
                for d in record.definitions {
                    if let existing = self.series.id(of: d.labels), existing != d.id {
                        throw CorruptionError(file: "wal", offset: 0, reason: "series \(d.labels) has id \(existing) and \(d.id)")
                    }
                    self.series.add(d.labels, kind: self.options.kind(of: d.labels.metricType), id: d.id)
                    self.series[d.id].definition = .logged
                }
                // Samples whose series was defined in a record that damage destroyed cannot be
                // attributed: they are dropped and counted, the rest of the record is kept.
                var orphans = 0
                if record.refs.contains(where: { !self.series.contains($0) }) {
                    let kept = record.refs.indices.filter { self.series.contains(record.refs[$0]) }
                    orphans = record.refs.count - kept.count
                    record.refs = kept.map { record.refs[$0] }
                    record.timestamps = kept.map { record.timestamps[$0] }
                    record.values = kept.map { record.values[$0] }
                }
                if record.seq > positionsSeq { for s in record.sources { self.positions[s.key] = s.position } }
                if record.seq > skipSamplesThrough {
                    self.head.apply(record.refs, record.timestamps, record.values, seq: record.seq)
                    for i in record.refs.indices {
                        let ref = record.refs[i]
                        if record.timestamps[i] > self.series[ref].maxT { self.series[ref].maxT = record.timestamps[i] }
                    }
                }
                self.writtenSeq = max(self.writtenSeq, record.seq)
                return orphans
            }
            openReport.wal = report
            refreshQuarantine()
            statsStorage.walCorruptions += report.corruptions.count
            statsStorage.walDamagedRecords += report.damagedRecords
            for i in 0..<UInt32(series.count) where series.contains(i) {
                series[i].definition = .logged
                series[i].pendingMaxT = series[i].maxT
            }
            writtenSeq = max(writtenSeq, flushedSeq)
            durableSeq = writtenSeq
            head.lastAppliedSeq = writtenSeq
            pendingPositions = positions
            wal = WALWriter(directory: walDirectory, fs: fs, segmentBytes: options.walSegmentBytes, closedSegments: segments)
            openReport.blocks = rawBlocks.count + rollupBlocks.values.reduce(0) { $0 + $1.count }
            // A checkpoint that lags the blocks (crash between cut and checkpoint) is brought up to date.
            if flushedSeq > checkpoint.flushedSeq || !fs.exists(checkpointPath) { try writeCheckpoint() }
            if head.approximateBytes > options.maxHeadBytes {
                freezeHead()
                try writeFrozenHeads()
            }
        } catch let e as StoreError {
            throw e
        } catch let e as IOError {
            throw .io(e)
        } catch let e as CorruptionError {
            throw .corruption(e)
        } catch {
            throw .corruption(CorruptionError(file: directory, offset: 0, reason: "\(error)"))
        }
        openReport.replaySeconds = monotonicSeconds() - started
    }

    /// Registers a block's series (their ids must agree with the table) and their newest times.
    private func adopt(_ e: BlockSeriesEntry, from block: BlockReader) throws(CorruptionError) {
        if let existing = series.id(of: e.labels) {
            guard existing == e.id else {
                throw CorruptionError(file: block.path, offset: 0, reason: "series \(e.labels) has id \(e.id) here, \(existing) elsewhere")
            }
        } else {
            if series.contains(e.id) {
                throw CorruptionError(file: block.path, offset: 0, reason: "series id \(e.id) names two label sets")
            }
            series.add(e.labels, kind: options.kind(of: e.labels.metricType), id: e.id)
        }
        // A rollup entry's maxT is its last bucket's start: a lower bound of its newest sample.
        if e.maxT > series[e.id].maxT { series[e.id].maxT = e.maxT }
    }

    private func removeTemporaries() throws(IOError) {
        for dir in [blocksDirectory] + options.rollupResolutions.map(rollupDirectory) {
            for name in try fs.list(dir) where name.hasSuffix(FileNames.tmpSuffix) {
                try fs.removeItem(dir + "/" + name)
            }
        }
        try fs.remove(directory + "/" + FileNames.checkpoint + FileNames.tmpSuffix)
    }

    func loadBlocks() throws(IOError) {
        rawBlocks = []
        rollupBlocks = [:]
        openReport.corruptBlocks = []
        func load(_ dir: String) throws(IOError) -> [BlockReader] {
            var out: [BlockReader] = []
            for name in try fs.list(dir) where !name.hasSuffix(FileNames.tmpSuffix) {
                do { out.append(try BlockReader(path: dir + "/" + name, fs: fs)) } catch {
                    switch error {
                    case .corruption(let c): openReport.corruptBlocks.append(c)
                    case .io(let e): throw e
                    default: openReport.corruptBlocks.append(CorruptionError(file: dir + "/" + name, offset: 0, reason: "\(error)"))
                    }
                    try quarantine(dir + "/" + name)
                }
            }
            return out.sorted { ($0.meta.minT, $0.name) < ($1.meta.minT, $1.name) }
        }
        rawBlocks = try load(blocksDirectory)
        for r in options.rollupResolutions { rollupBlocks[r] = try load(rollupDirectory(r)) }
        statsStorage.corruptBlocks = openReport.corruptBlocks.map(\.file)
        refreshQuarantine()
    }

    func refreshQuarantine() {
        statsStorage.quarantined = (try? fs.list(quarantineDirectory))?.sorted().map { quarantineDirectory + "/" + $0 } ?? []
    }

    /// Moves a damaged file or block out of the way, under `quarantine/`, keeping every byte.
    func quarantine(_ path: String) throws(IOError) {
        try fs.makeDirectories(quarantineDirectory)
        let base = quarantineDirectory + "/" + (path.split(separator: "/").last.map(String.init) ?? "damaged")
        var target = base
        var n = 1
        while fs.exists(target) {
            n += 1
            target = base + "." + String(n)
        }
        try fs.rename(path, target)
        try fs.syncDirectory(quarantineDirectory)
        try fs.syncDirectory(fs.parent(of: path))
    }

    func writeCheckpoint() throws(IOError) {
        try fs.writeAtomically(
            directory + "/" + FileNames.checkpoint, makeCheckpoint(flushedSeq: flushedSeq, sources: positions).encode())
    }

    /// The checkpoint of the current series table. Caller holds the state lock.
    func makeCheckpoint(flushedSeq: UInt64, sources: [String: Int64]) -> Checkpoint {
        var c = Checkpoint(flushedSeq: flushedSeq, sources: sources)
        c.series.reserveCapacity(series.count)
        for i in 0..<UInt32(series.count) where series.contains(i) {
            c.series.append((i, series[i].kind, series[i].labels))
        }
        return c
    }
}

public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
