/// A batch written to the WAL and waiting for the fsync that makes it durable.
struct PendingBatch {
    var seq: UInt64
    var refs: [UInt32]
    var timestamps: [Int64]
    var values: [Double]
    var sources: SourcePositions
    /// Series whose definition this record carries.
    var defined: [UInt32]
}

extension Store {
    /// The ref of the series with these labels, creating it (within `maxSeries`) if new.
    public func seriesRef(for labels: Labels) throws(StoreError) -> SeriesRef {
        try stateLock.withLock { () throws(StoreError) -> SeriesRef in
            guard !isClosed else { throw StoreError.closed }
            switch resolve(labels) {
            case .success(let id): return SeriesRef(id: id)
            case .failure(let reason): throw .seriesRejected(labels: labels.description, reason: reason)
            }
        }
    }

    /// Looks up or creates a series. Caller holds the state lock.
    func resolve(_ labels: Labels) -> Result<UInt32, RejectionReason> {
        if let id = series.id(of: labels) { return .success(id) }
        guard !labels.metricType.isEmpty, labels.pairs.allSatisfy({ Store.isValidLabelName($0.name) }) else {
            return .failure(.invalidSeries)
        }
        if let violation = LabelLimits.violation(labels) { return .failure(violation.rejection) }
        guard series.count < options.maxSeries else { return .failure(.cardinalityLimit) }
        return .success(series.add(labels, kind: options.kind(of: labels.metricType)))
    }

    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }

    /// Appends a batch and returns once it is durable (per `options.fsync`). Samples that break
    /// the ingest contract are rejected one by one and counted; a batch whose source positions
    /// were all stored before is a replay and is skipped whole. Throws when the WAL cannot take
    /// the batch (full disk, failed fsync): then nothing of it is stored, and nothing stored
    /// before is lost.
    public func append(_ batch: WriteBatch, sources: SourcePositions = [:]) throws(StoreError) -> AppendResult {
        var result = AppendResult()
        let seq = try stateLock.withLock { () throws(StoreError) -> UInt64? in try write(batch, sources: sources, result: &result) }
        guard let seq else { return result }
        try commit(through: seq)
        let (frozen, background) = stateLock.withLock { () -> (Bool, (@Sendable () -> Void)?) in
            statsStorage.appendedBatches += 1
            statsStorage.appendedSamples += result.accepted
            for (reason, n) in result.rejected { statsStorage.rejected[reason, default: 0] += n }
            return (!frozenHeads.isEmpty, cutRequested)
        }
        if frozen {
            // The batch is durable already; a failed block write keeps the frozen head for later.
            if let background { background() } else { _ = try? writeFrozenHeads() }
        }
        return result
    }

    /// Validates the batch and writes its WAL record; returns the record's seq, or nil when
    /// nothing needs to become durable (a replay, or every sample rejected). Caller holds the state lock.
    private func write(_ batch: WriteBatch, sources: SourcePositions, result: inout AppendResult) throws(StoreError) -> UInt64? {
        guard !isClosed else { throw .closed }
        if !sources.isEmpty && sources.allSatisfy({ (pendingPositions[$0.key] ?? .min) >= $0.value }) {
            result.duplicate = true
            statsStorage.duplicateBatches += 1
            return nil
        }
        let seq = writtenSeq + 1
        var record = WALRecord(seq: seq)
        record.sources = sources.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var previousPendingMaxT: [UInt32: Int64] = [:]
        var defined: [UInt32] = []
        result.accepted = admit(
            batch, into: &record, result: &result, previousPendingMaxT: &previousPendingMaxT, defined: &defined, seq: seq)
        if result.accepted == 0 && sources.isEmpty {
            for (reason, n) in result.rejected { statsStorage.rejected[reason, default: 0] += n }
            return nil
        }
        let framed = WALFormat.frame(record)
        do {
            try wal.write(framed, seq: seq)
        } catch {
            for (id, t) in previousPendingMaxT { series[id].pendingMaxT = t }
            for id in defined { series[id].definition = .unlogged }
            statsStorage.failedAppends += 1
            throw .io(error)
        }
        writtenSeq = seq
        for (k, v) in sources { pendingPositions[k] = v }
        pending.append(
            PendingBatch(
                seq: seq, refs: record.refs, timestamps: record.timestamps, values: record.values, sources: sources, defined: defined))
        if options.fsync == .never {
            durableSeq = seq
            applyPending(through: seq)
        }
        return seq
    }

    /// Validates every sample, fills the record with the accepted ones, and returns their count.
    private func admit(
        _ batch: WriteBatch, into record: inout WALRecord, result: inout AppendResult,
        previousPendingMaxT: inout [UInt32: Int64], defined: inout [UInt32], seq: UInt64
    ) -> Int {
        var local: [Result<UInt32, RejectionReason>] = []
        local.reserveCapacity(batch.localLabels.count)
        for labels in batch.localLabels { local.append(resolve(labels)) }
        record.refs.reserveCapacity(batch.count)
        record.timestamps.reserveCapacity(batch.count)
        record.values.reserveCapacity(batch.count)
        let window = options.outOfOrderWindow
        var lastRaw = UInt32.max
        var resolved: Result<UInt32, RejectionReason> = .failure(.invalidSeries)
        var newest = Int64.min
        for i in 0..<batch.count {
            let raw = batch.refs[i]
            if raw != lastRaw {
                if case .success(let previous) = resolved, lastRaw != .max { series[previous].pendingMaxT = newest }
                lastRaw = raw
                resolved =
                    raw & WriteBatch.localFlag != 0
                    ? local[Int(raw & ~WriteBatch.localFlag)]
                    : (series.contains(raw) ? .success(raw) : .failure(.invalidSeries))
                if case .success(let id) = resolved {
                    newest = series[id].pendingMaxT
                    if previousPendingMaxT[id] == nil { previousPendingMaxT[id] = newest }
                    if case .unlogged = series[id].definition {
                        series[id].definition = .pending(seq: seq)
                        defined.append(id)
                        record.definitions.append((id, series[id].labels))
                    }
                }
            }
            guard case .success(let id) = resolved else {
                if case .failure(let reason) = resolved { reject(i, reason, &result) }
                continue
            }
            let t = batch.timestamps[i]
            guard SampleLimits.isValidTimestamp(t) else {
                reject(i, .timestampOutOfRange, &result)
                continue
            }
            if newest != .min && t < newest &- window {
                reject(i, .tooOld, &result)
                continue
            }
            if t > newest { newest = t }
            record.refs.append(id)
            record.timestamps.append(t)
            record.values.append(batch.values[i])
        }
        if case .success(let id) = resolved { series[id].pendingMaxT = newest }
        return record.refs.count
    }

    private func reject(_ index: Int, _ reason: RejectionReason, _ result: inout AppendResult) {
        result.rejected[reason, default: 0] += 1
        result.rejections.append(.init(index: index, reason: reason))
    }

    /// Makes every record through `seq` durable and applies them to the head in WAL order.
    /// Group commit: one appender at a time fsyncs (outside the state lock, on a duplicate of
    /// the segment's descriptor) every record written so far, so appenders that wrote while it
    /// waited find their records durable when their turn comes.
    func commit(through seq: UInt64) throws(StoreError) {
        commitLock.lock()
        defer { commitLock.unlock() }
        stateLock.lock()
        if durableSeq >= seq {
            stateLock.unlock()
            return
        }
        if seq <= failedThroughSeq {
            stateLock.unlock()
            throw .io(lastFailure ?? IOError("fsync", path: wal.path, errno: 5))
        }
        let target = writtenSeq
        let sync = wal.prepareSync()
        stateLock.unlock()
        var failure: IOError?
        if let sync {
            do { try fs.syncDuplicate(sync.fd, path: sync.path) } catch { failure = error }
        }
        stateLock.lock()
        defer { stateLock.unlock() }
        if let failure {
            failPending(failure)
            throw .io(failure)
        }
        if let sync {
            wal.markDurable(size: sync.size, segment: sync.segment)
            statsStorage.walFsyncs += 1
        }
        durableSeq = max(durableSeq, target)
        applyPending(through: durableSeq)
    }

    /// A failed fsync: every pending batch fails, the WAL is cut back to its durable end, and
    /// validation state returns to what is durable.
    private func failPending(_ error: IOError) {
        wal.rollbackToDurable()
        failedThroughSeq = writtenSeq
        lastFailure = error
        for batch in pending {
            for id in batch.defined { series[id].definition = .unlogged }
            for id in Set(batch.refs) { series[id].pendingMaxT = series[id].maxT }
        }
        statsStorage.failedAppends += pending.count
        pending.removeAll()
        pendingPositions = positions
    }

    private func applyPending(through seq: UInt64) {
        let count = pending.prefix { $0.seq <= seq }.count
        let batches = pending[..<count]
        pending.removeFirst(count)
        for batch in batches {
            if let first = batch.timestamps.min(), !head.isEmpty, first >= headRangeEnd { freezeHead() }
            head.apply(batch.refs, batch.timestamps, batch.values, seq: batch.seq)
            for id in batch.defined { series[id].definition = .logged }
            for i in batch.refs.indices where batch.timestamps[i] > series[batch.refs[i]].maxT {
                series[batch.refs[i]].maxT = batch.timestamps[i]
            }
            for (k, v) in batch.sources { positions[k] = v }
            if head.approximateBytes > options.maxHeadBytes { freezeHead() }
        }
    }

    /// End of the aligned block range the head's oldest sample falls in.
    var headRangeEnd: Int64 { TimeGrid.rangeEnd(head.minT, options.blockDuration) }
}
