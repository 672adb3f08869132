/// What one compaction did.
public struct CompactionReport: Sendable, Equatable {
    public var rangesRewritten = 0
    public var rawBlocksIn = 0
    public var rawBlocksOut = 0
    public var rollupBlocksIn = 0
    public var rollupBlocksOut = 0
    public var expiredRawBlocks = 0
    public var expiredRollupBlocks = 0
    /// Raw samples folded into rollups by this run.
    public var samplesRolledUp = 0
    /// Raw samples older than raw retention left out of the outputs (their rollups are durable).
    public var samplesDropped = 0
    /// Bytes of the blocks this run wrote.
    public var bytesWritten: Int64 = 0
    public var seconds = 0.0

    public init() {}

    /// True when the run changed nothing on disk.
    public var isEmpty: Bool { rawBlocksOut + rollupBlocksOut + rawBlocksIn + rollupBlocksIn + expiredRawBlocks + expiredRollupBlocks == 0 }
}

extension Store {
    /// Writes frozen heads, merges raw blocks up the ladder of aligned ranges, folds
    /// not-yet-rolled-up samples (late ones included) into the rollups, merges rollup blocks
    /// the same way, and drops what retention has passed. Outputs are published together with
    /// a journal, so a crash at any step leaves the old blocks or the new ones, never both and
    /// never neither; raw samples leave only in the same step as their rollups arrive. When
    /// the rewrite fails (full disk), retention still deletes what it has passed, then the
    /// error is thrown.
    public func compact() throws(StoreError) -> CompactionReport {
        compactionLock.lock()
        defer { compactionLock.unlock() }
        let started = monotonicSeconds()
        try writeFrozenHeads()
        let (raw, rollups, table) = try stateLock.withLock { () throws(StoreError) in
            guard !isClosed else { throw StoreError.closed }
            return (rawBlocks, rollupBlocks, series)
        }
        let plan = try CompactionPlan.make(raw: raw, rollups: rollups, reference: retentionReference, options: options)
        var report = CompactionReport()
        guard !plan.isEmpty else { return report }
        do {
            var work = CompactionWork(store: self, table: table, plan: plan)
            try work.rewriteRawGroups(&report)
            try work.mergeRollups(rollups, raw: raw, &report)
            report.bytesWritten = work.bytesWritten
            try publish(work, plan: plan, report: &report)
        } catch {
            let failure = Store.storeError(error, directory: directory)
            try? expireOnly(plan, report: &report)
            throw failure
        }
        report.seconds = monotonicSeconds() - started
        stateLock.withLock { statsStorage.compactions += 1 }
        return report
    }

    static func storeError(_ error: any Error, directory: String) -> StoreError {
        switch error {
        case let e as StoreError: e
        case let e as IOError: .io(e)
        default: .corruption(CorruptionError(file: directory, offset: 0, reason: "\(error)"))
        }
    }

    /// Journal, rename, swap the block lists, delete the inputs and the expired blocks.
    private func publish(_ work: CompactionWork, plan: CompactionPlan, report: inout CompactionReport) throws {
        let prefix = directory + "/"
        func relative(_ p: String) -> String { p.hasPrefix(prefix) ? String(p.dropFirst(prefix.count)) : p }
        let replaced = plan.inputs.map(\.path) + work.replacedRollups.map(\.path)
        let journalPath = directory + "/" + FileNames.compactionJournal
        let journaled = !work.outputs.isEmpty || !replaced.isEmpty
        var opened: [BlockReader] = []
        if journaled {
            let journal = CompactionJournal(inputs: replaced.map(relative), outputs: work.outputs.map { relative($0.final) })
            try fs.writeAtomically(journalPath, journal.encode())
            for o in work.outputs { try fs.rename(o.tmp, o.final) }
            for parent in Set(work.outputs.map { fs.parent(of: $0.final) }) { try fs.syncDirectory(parent) }
            opened = try work.outputs.map { o throws(StoreError) in try BlockReader(path: o.final, fs: fs) }
        }
        swapBlocks(removing: Set(replaced), adding: opened)
        for p in replaced { try fs.removeItem(p) }
        if journaled {
            try fs.remove(journalPath)
            try fs.syncDirectory(directory)
        }
        try expireOnly(plan, report: &report)
    }

    /// Deletes the blocks retention has passed (rolled-up raw blocks and old rollup blocks).
    private func expireOnly(_ plan: CompactionPlan, report: inout CompactionReport) throws {
        let expired = plan.expiredRaw.map(\.path) + plan.expiredRollups.map(\.path)
        guard !expired.isEmpty else { return }
        swapBlocks(removing: Set(expired), adding: [])
        for p in expired { try fs.removeItem(p) }
        report.expiredRawBlocks = plan.expiredRaw.count
        report.expiredRollupBlocks = plan.expiredRollups.count
    }

    private func swapBlocks(removing gone: Set<String>, adding opened: [BlockReader]) {
        stateLock.withLock {
            rawBlocks.removeAll { gone.contains($0.path) }
            for r in rollupBlocks.keys { rollupBlocks[r]?.removeAll { gone.contains($0.path) } }
            for b in opened {
                if b.meta.kind == .raw { rawBlocks.append(b) } else { rollupBlocks[b.meta.resolution, default: []].append(b) }
            }
            rawBlocks.sort { ($0.meta.minT, $0.name) < ($1.meta.minT, $1.name) }
            for r in rollupBlocks.keys { rollupBlocks[r]?.sort { ($0.meta.minT, $0.name) < ($1.meta.minT, $1.name) } }
        }
    }
}
