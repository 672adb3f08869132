/// What `verify` found: every problem names its file and offset.
public struct VerifyReport: Sendable {
    public var blocksChecked = 0
    public var columnsChecked = 0
    public var samplesChecked = 0
    public var bucketsChecked = 0
    public var problems: [CorruptionError] = []
    /// A torn or corrupt WAL tail that opening cut (normal after a crash; not a problem).
    public var walRepair: CorruptionError?

    public var isClean: Bool { problems.isEmpty }
}

extension Store {
    /// Reads every block column, checks every CRC and invariant: sorted timestamps, index
    /// ranges and counts matching the data, rollup buckets aligned and consistent (count = sum
    /// of counts, min <= max, sketch count <= count).
    public func verify() -> VerifyReport {
        var report = VerifyReport()
        let (raw, rollups) = stateLock.withLock { (rawBlocks, rollupBlocks) }
        report.problems = openReport.corruptBlocks
        report.walRepair = openReport.wal.corruption
        // Damage past a torn tail may have lost acknowledged data: that is a problem.
        if openReport.wal.damagedRecords > 0 { report.problems += openReport.wal.corruptions }
        if let c = openReport.corruptCheckpoint { report.problems.append(c) }
        for block in raw {
            report.blocksChecked += 1
            var total: Int64 = 0
            for e in block.entries {
                do {
                    let (ts, _) = try block.samples(of: e.id)
                    report.columnsChecked += 2
                    report.samplesChecked += ts.count
                    total += Int64(ts.count)
                    var sorted = true
                    for i in ts.indices.dropFirst() where ts[i] < ts[i - 1] { sorted = false }
                    if !sorted || ts.first != e.minT || ts.last != e.maxT {
                        report.problems.append(problem(block, e, "timestamps unsorted or outside the index's range"))
                    }
                } catch {
                    report.problems.append(asCorruption(error, block))
                }
            }
            if total != block.meta.samples && report.problems.isEmpty {
                report.problems.append(
                    CorruptionError(
                        file: block.path, offset: 0, reason: "meta counts \(block.meta.samples) samples, columns hold \(total)"))
            }
        }
        for (resolution, blocks) in rollups {
            for block in blocks {
                report.blocksChecked += 1
                for e in block.entries {
                    do {
                        let buckets = try block.buckets(of: e.id, cached: false, withSketch: false, raw: raw)
                        report.columnsChecked += 1
                        report.bucketsChecked += buckets.count
                        if let reason = Store.rollupInvariantViolation(buckets, resolution: resolution) {
                            report.problems.append(problem(block, e, reason))
                        }
                    } catch {
                        report.problems.append(asCorruption(error, block))
                    }
                }
            }
        }
        return report
    }

    static func rollupInvariantViolation(_ buckets: [RollupBucket], resolution: Int64) -> String? {
        var previous = Int64.min
        for b in buckets {
            if b.start % resolution != 0 || b.start <= previous { return "bucket \(b.start) misaligned or out of order" }
            previous = b.start
            if b.count <= 0 { return "bucket \(b.start) has count \(b.count)" }
            if !b.min.isNaN && !b.max.isNaN && b.min > b.max { return "bucket \(b.start): min \(b.min) > max \(b.max)" }
            if b.firstTimestamp > b.lastTimestamp || b.firstTimestamp < b.start || b.lastTimestamp >= b.start &+ resolution {
                return "bucket \(b.start): first/last timestamps outside the bucket"
            }
            if let s = b.sketch, s.count > b.count { return "bucket \(b.start): sketch holds \(s.count) > \(b.count) samples" }
        }
        return nil
    }

    private func problem(_ block: BlockReader, _ e: BlockSeriesEntry, _ reason: String) -> CorruptionError {
        CorruptionError(
            file: block.columnsPath, offset: e.columns.first?.offset ?? 0, reason: reason,
            series: e.labels.description)
    }

    private func asCorruption(_ error: StoreError, _ block: BlockReader) -> CorruptionError {
        if case .corruption(let c) = error { return c }
        return CorruptionError(file: block.path, offset: 0, reason: "\(error)")
    }
}
