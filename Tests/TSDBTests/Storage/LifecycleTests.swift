import Foundation
import Logging
import Synchronization
import Testing

@testable import TSDB

/// The store's life as the service leads it: leveled compaction, retention by the clock,
/// timestamp limits, compaction whose cost follows the data, the background compactor.
@Suite struct LifecycleTests {
    /// A clock tests move by hand.
    final class TestClock: Sendable {
        let now: Atomic<Int64>
        init(_ t: Int64) { now = Atomic(t) }
        func set(_ t: Int64) { now.store(t, ordering: .relaxed) }
        var read: @Sendable () -> Int64 { { [self] in now.load(ordering: .relaxed) } }
    }

    static func keepForever() -> StoreOptions {
        var o = CompactionTests.options()
        o.retentionRaw = 0
        return o
    }

    /// Every raw and rollup block lies inside one ladder range, and no range holds two blocks.
    static func checkLadder(_ store: Store) throws {
        let (raw, rollups) = store.stateLock.withLock { (store.rawBlocks, store.rollupBlocks) }
        let reference = store.retentionReference ?? .max
        let settled = reference &- store.options.outOfOrderWindow
        let rawLadder = BlockLadder.forBlocks(blockDuration: store.options.blockDuration, retention: store.options.retentionRaw)
        var seen = Set<LadderRange>()
        for b in raw {
            let r = rawLadder.range(of: b.meta.minT, settled: settled)
            #expect(r.contains(b.meta.maxT), "raw block \(b.name) spans ranges")
            #expect(seen.insert(r).inserted, "two raw blocks in \(r)")
            #expect(Int(b.meta.level) <= r.level)
        }
        for (resolution, blocks) in rollups {
            let ladder = BlockLadder.forBlocks(
                blockDuration: store.options.blockDuration, resolution: resolution,
                retention: store.options.retention(forResolution: resolution))
            var seenRollup = Set<LadderRange>()
            for b in blocks {
                let r = ladder.range(of: b.meta.minT, settled: settled)
                #expect(r.contains(b.lastBucketStart), "rollup block \(b.name) spans ranges")
                #expect(seenRollup.insert(r).inserted, "two \(resolution) ms rollup blocks in \(r)")
            }
        }
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func leveledMergesKeepTheirInvariants(seed: UInt64) throws {
        let dir = TempDirectory()
        let store = try Store(directory: dir.store, options: Self.keepForever())
        let reference = try CompactionTests.fill(store, seed: seed)
        try store.flush()
        _ = try store.compact()
        try Self.checkLadder(store)
        try CompactionTests.check(store, reference)
        let levels = Set(store.inventory().rawBlocks.map(\.meta.level))
        #expect(levels.contains { $0 >= 2 }, "12 h of 1 h blocks merge into longer ranges: \(levels)")
        #expect(try store.compact().isEmpty)
        try store.close()
    }

    @Test func sparseLongLivedSeriesTakeFewBlocks() throws {
        let dir = TempDirectory()
        let store = try Store(directory: dir.store, options: Self.keepForever())
        // One sample an hour for 200 days: 1 h blocks would be 4800 of them.
        var batch = WriteBatch()
        let start: Int64 = 1_699_999_200_000  // hour-aligned
        for i in 0..<4800 { batch.append(labels("queue_depth"), start + Int64(i) * StoreOptions.hour, Double(i % 17)) }
        _ = try store.append(batch)
        try store.flush()
        _ = try store.compact()
        let inventory = store.inventory()
        #expect(inventory.rawBlocks.count < 40, "\(inventory.rawBlocks.count) raw blocks")
        #expect(inventory.files < 300, "\(inventory.files) files")
        #expect(try store.all(labels("queue_depth")).count == 4800)
        try Self.checkLadder(store)
        // One sample per bucket: the rollups are raw-backed, and answer exactly as stored ones.
        let rollupBlocks = store.stateLock.withLock { store.rollupBlocks.values.joined().map { $0 } }
        #expect(!rollupBlocks.isEmpty && rollupBlocks.allSatisfy { $0.meta.rawBacked })
        let ref = store.select([.equal("__name__", "queue_depth")])[0].ref
        for resolution in [StoreOptions.minute, StoreOptions.hour] {
            let buckets = try store.rollups(ref, resolution: resolution)
            #expect(buckets.count == 4800)
            for (i, b) in buckets.enumerated() {
                let t = start + Int64(i) * StoreOptions.hour
                #expect(b.start == t && b.count == 1 && b.sum == Double(i % 17) && b.firstTimestamp == t && b.lastTimestamp == t)
            }
            let window = try store.rollups(
                ref, resolution: resolution, from: start + 10 * StoreOptions.hour + 1, to: start + 20 * StoreOptions.hour)
            #expect(window.map(\.start) == (10..<20).map { start + Int64($0) * StoreOptions.hour })
        }
        #expect(store.verify().isClean)
    }

    @Test(arguments: [31, 32] as [UInt64])
    func rawBackedRollupsEqualStoredOnes(seed: UInt64) throws {
        // The same sparse and dense series, once with raw kept forever (raw-backed rollups where
        // they pay) and once with raw retention shorter than the rollups' (always stored).
        var rng = StorageTestRNG(seed: seed)
        var batches: [WriteBatch] = []
        var t: Int64 = 1_764_000_000_000
        for _ in 0..<40 {
            var batch = WriteBatch()
            for _ in 0..<200 {
                t += Int64.random(in: 1...90_000, using: &rng)
                let dense = Int.random(in: 0..<3, using: &rng) == 0
                batch.append(labels(dense ? "api_latency_ms" : "queue_depth"), t, Double(Int.random(in: 0...500, using: &rng)))
                if dense { batch.append(labels("api_latency_ms"), t + 1, Double(Int.random(in: 0...500, using: &rng))) }
            }
            batches.append(batch)
        }
        var stored = StoreOptions()
        stored.retentionRaw = 400 * StoreOptions.day
        stored.rollupRetention = [StoreOptions.minute: 0, StoreOptions.hour: 0]
        var backed = stored
        backed.retentionRaw = 0
        var answers: [[[RollupBucket]]] = []
        for options in [stored, backed] {
            let dir = TempDirectory("rawbacked\(options.retentionRaw)")
            let store = try Store(directory: dir.store, options: options)
            for (i, b) in batches.enumerated() {
                _ = try store.append(b)
                if i % 7 == 6 { _ = try store.compact() }
            }
            try store.flush()
            _ = try store.compact()
            let blocks = store.stateLock.withLock { store.rollupBlocks.values.joined().map { $0 } }
            #expect(blocks.contains { $0.meta.rawBacked } == (options.retentionRaw == 0))
            var perStore: [[RollupBucket]] = []
            for name in ["queue_depth", "api_latency_ms"] {
                let ref = store.select([.equal("__name__", name)])[0].ref
                for r in [StoreOptions.minute, StoreOptions.hour] {
                    perStore.append(try store.rollups(ref, resolution: r))
                    perStore.append(
                        try store.rollups(ref, resolution: r, from: t - 30 * StoreOptions.hour + 7, to: t - 3 * StoreOptions.hour))
                }
            }
            answers.append(perStore)
            #expect(store.verify().isClean)
        }
        for (a, b) in zip(answers[0], answers[1]) {
            #expect(a.map(\.start) == b.map(\.start))
            #expect(a.map(\.count) == b.map(\.count))
            #expect(zip(a, b).allSatisfy { $0.sum == $1.sum && $0.min == $1.min && $0.max == $1.max && $0.sumOfSquares == $1.sumOfSquares })
            #expect(zip(a, b).allSatisfy { $0.firstTimestamp == $1.firstTimestamp && $0.lastTimestamp == $1.lastTimestamp })
        }
    }

    @Test func timestampsOutsideTheDocumentedRangeAreRejected() throws {
        let dir = TempDirectory()
        let store = try Store(directory: dir.store)
        var batch = WriteBatch()
        let l = labels("cpu_usage_percent")
        for t in [Int64.min, -1, SampleLimits.endTimestamp, Int64.max, 0, SampleLimits.endTimestamp - 1] { batch.append(l, t, 1) }
        let r = try store.append(batch)
        #expect(r.accepted == 2)
        #expect(r.rejected[.timestampOutOfRange] == 4)
        #expect(try store.all(l).timestamps == [0, SampleLimits.endTimestamp - 1])
        // Import goes through the same append: the lines are counted as rejected, not stored.
        let importer = EventImporter(store: store)
        for ts in ["-1", "7258118400", "\"2200-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59Z\""] {
            let line = Array("{\"service\":\"s\",\"type\":\"t\",\"value\":1,\"timestamp\":\(ts)}".utf8)
            #expect(line.withUnsafeBytes { importer.add($0) } == nil)
        }
        try importer.finish()
        #expect(importer.rejected[.timestampOutOfRange] == 4)
    }

    @Test func retentionCountsBackFromTheServiceClock() throws {
        let dir = TempDirectory()
        let clock = TestClock(0)
        var o = CompactionTests.options()
        o.retentionRaw = 24 * StoreOptions.hour
        o.rollupRetention = [StoreOptions.minute: 7 * StoreOptions.day, StoreOptions.hour: 0]
        o.retentionClock = .wallClock
        o.clock = clock.read
        let store = try Store(directory: dir.store, options: o)
        let l = labels("cpu_usage_percent")
        let start: Int64 = 1_764_000_000_000
        var batch = WriteBatch()
        for i in 0..<(3 * 24 * 12) { batch.append(l, start + Int64(i) * 5 * StoreOptions.minute, Double(i)) }
        _ = try store.append(batch)
        let end = start + 3 * StoreOptions.day
        clock.set(end)
        try store.flush()
        _ = try store.compact()
        let kept = try store.all(l).timestamps
        let cutoff = end - o.retentionRaw
        // Everything inside retention stays; raw older than it goes (to the block granularity).
        #expect(kept.filter { $0 >= cutoff }.count == 24 * 12)
        #expect((kept.first ?? .max) >= cutoff - o.blockDuration)
        let ref = store.select([.equal("__name__", "cpu_usage_percent")])[0].ref
        #expect(try store.rollups(ref, resolution: StoreOptions.minute).reduce(0) { $0 + $1.count } == 3 * 24 * 12)
        // Two days later, by the clock alone (no new sample), raw is gone and rollups stay.
        clock.set(end + 2 * StoreOptions.day)
        _ = try store.compact()
        #expect(try store.all(l).count == 0)
        #expect(try store.rollups(ref, resolution: StoreOptions.minute).reduce(0) { $0 + $1.count } == 3 * 24 * 12)
        // Past the 1 m rollups' retention they go too; 1 h rollups (kept forever) answer.
        clock.set(end + 8 * StoreOptions.day)
        _ = try store.compact()
        #expect(try store.rollups(ref, resolution: StoreOptions.minute).isEmpty)
        #expect(try store.rollups(ref, resolution: StoreOptions.hour).reduce(0) { $0 + $1.count } == 3 * 24 * 12)
    }

    @Test func aFarFutureSampleNeverMakesTheStoreDropHistory() throws {
        let dir = TempDirectory()
        var o = CompactionTests.options()
        o.retentionRaw = 24 * StoreOptions.hour
        o.clock = { 1_800_000_000_000 }
        let store = try Store(directory: dir.store, options: o)
        let l = labels("cpu_usage_percent")
        let start: Int64 = 1_530_000_000_000  // 2018: historic data
        var batch = WriteBatch()
        for i in 0..<(2 * 24 * 60) { batch.append(l, start + Int64(i) * StoreOptions.minute, Double(i)) }
        batch.append(l, SampleLimits.endTimestamp - 1, 1)  // 2199-12-31
        _ = try store.append(batch)
        try store.flush()
        _ = try store.compact()
        let newestHistoric = start + Int64(2 * 24 * 60 - 1) * StoreOptions.minute
        #expect(store.retentionReference == newestHistoric)
        let kept = try store.all(l).timestamps
        #expect(kept.filter { $0 > newestHistoric - o.retentionRaw }.count == 24 * 60 + 1)
        #expect(kept.last == SampleLimits.endTimestamp - 1)
    }

    @Test func compactionCostFollowsTheDataNotTheTimeSpan() throws {
        let dir = TempDirectory()
        let store = try Store(directory: dir.store, options: Self.keepForever())
        let l = labels("cpu_usage_percent")
        var batch = WriteBatch()
        for i in 0..<(24 * 60) { batch.append(l, 1_764_000_000_000 + Int64(i) * StoreOptions.minute, Double(i)) }
        _ = try store.append(batch)
        var outliers = WriteBatch()
        // 1970, 2001 and 2199 next to a day of current data (the OOO window does not apply to a new series).
        for (i, t) in [0, 1_000_000_000_000, SampleLimits.endTimestamp - 1].enumerated() {
            outliers.append(labels("cpu_usage_percent", "outlier\(i)"), t, 1)
        }
        _ = try store.append(outliers)
        try store.flush()
        let report = try store.compact()
        #expect(report.rawBlocksOut < 60, "\(report.rawBlocksOut) raw blocks for a day and three samples")
        #expect(try store.all(l).count == 24 * 60)
        try Self.checkLadder(store)
    }

    @Test func backgroundCompactionWhileAppendingAndReadingMatchesOffline() throws {
        let offlineDir = TempDirectory("offline")
        let liveDir = TempDirectory("live")
        let offline = try Store(directory: offlineDir.store, options: Self.keepForever())
        let reference = try CompactionTests.fill(offline, seed: 21)
        try offline.flush()
        _ = try offline.compact()

        let live = try Store(directory: liveDir.store, options: Self.keepForever())
        let compactor = Compactor(store: live, interval: 5, headGrace: .max / 4, logger: Logger(label: "test"))
        compactor.start()
        let stop = Atomic(false)
        let reads = Atomic(0)
        let reader = Thread {
            while !stop.load(ordering: .relaxed) {
                for l in CompactionTests.series { _ = try? live.all(l) }
                reads.add(1, ordering: .relaxed)
            }
        }
        reader.start()
        _ = try CompactionTests.fill(live, seed: 21)
        stop.store(true, ordering: .relaxed)
        compactor.stop()
        try live.flush()
        _ = try live.compact()
        #expect(compactor.stats.succeeded > 0)
        #expect(reads.load(ordering: .relaxed) > 0)
        try CompactionTests.check(live, reference)
        for l in CompactionTests.series {
            let a = try live.all(l).samples.sorted { ($0.timestamp, $0.value.bitPattern) < ($1.timestamp, $1.value.bitPattern) }
            let b = try offline.all(l).samples.sorted { ($0.timestamp, $0.value.bitPattern) < ($1.timestamp, $1.value.bitPattern) }
            #expect(a.map(\.timestamp) == b.map(\.timestamp) && a.map(\.value.bitPattern) == b.map(\.value.bitPattern))
        }
        try Self.checkLadder(live)
    }

    @Test func aFailingCompactionIsCountedRetriedAndRetentionStillRuns() throws {
        let dir = TempDirectory()
        let clock = TestClock(0)
        let faults = FaultPlan()
        var o = CompactionTests.options()
        o.retentionRaw = 24 * StoreOptions.hour
        o.retentionClock = .wallClock
        o.clock = clock.read
        let store = try Store(directory: dir.store, options: o, fileSystem: FileSystem(faults: faults))
        let l = labels("cpu_usage_percent")
        let start: Int64 = 1_764_000_000_000
        var batch = WriteBatch()
        for i in 0..<(24 * 12) { batch.append(l, start + Int64(i) * 5 * StoreOptions.minute, Double(i)) }
        _ = try store.append(batch)
        clock.set(start + StoreOptions.day)
        try store.flush()
        _ = try store.compact()
        let rolledUp = store.inventory().rawBlocks.count
        #expect(rolledUp > 0)
        // A day later new data arrives, and the disk refuses every new block.
        var late = WriteBatch()
        late.append(l, start + 2 * StoreOptions.day, 1)
        _ = try store.append(late)
        clock.set(start + 2 * StoreOptions.day + StoreOptions.hour)
        try store.flush()
        faults.fail(.create, errno: 28, pathContains: ".tmp")
        let compactor = Compactor(store: store, interval: 1, headGrace: .max / 4, logger: Logger(label: "test"))
        #expect(throws: StoreError.self) { _ = try compactor.runOnce() }
        // The rolled-up day is past retention: deleted even though the rewrite failed.
        #expect(store.inventory().rawBlocks.count == 1)
        #expect(try store.all(l).timestamps == [start + 2 * StoreOptions.day])
        compactor.start()
        let deadline = Date().addingTimeInterval(10)
        while compactor.stats.failed < 2 && Date() < deadline { usleep(20_000) }
        #expect(compactor.stats.failed >= 2)
        #expect(compactor.stats.consecutiveFailures >= 2)
        faults.clear()
        let recovered = Date().addingTimeInterval(15)
        while compactor.stats.consecutiveFailures > 0 && Date() < recovered { usleep(50_000) }
        compactor.stop()
        #expect(compactor.stats.consecutiveFailures == 0, "the compactor recovers once the disk does")
        #expect(try store.all(l).timestamps == [start + 2 * StoreOptions.day])
        let ref = store.select([.equal("__name__", "cpu_usage_percent")])[0].ref
        #expect(try store.rollups(ref, resolution: StoreOptions.minute).reduce(0) { $0 + $1.count } == 24 * 12 + 1)
    }

    @Test func compactorStateMachineSchedulesBacksOffAndStops() {
        var m = CompactorStateMachine(interval: 1000, maxBackoff: 8000, now: 0)
        #expect(m.next(now: 10) == .wait(until: 1000))
        m.wake()
        #expect(m.next(now: 20) == .compact)
        m.finished(success: false, now: 100)
        #expect(m.next(now: 150) == .wait(until: 1100))
        m.wake()
        #expect(m.next(now: 200) == .wait(until: 1100), "a wake-up does not cut a backoff short")
        #expect(m.next(now: 1100) == .compact)
        m.finished(success: false, now: 1100)
        #expect(m.failures == 2)
        #expect(m.next(now: 1200) == .wait(until: 3100))
        for _ in 0..<5 {
            guard case .wait(let until) = m.next(now: 0) else { break }
            #expect(m.next(now: until) == .compact)
            m.finished(success: false, now: until)
        }
        if case .backingOff(_, let retryAt) = m.state { #expect(retryAt - 1100 <= 100_000) }
        guard case .wait(let until) = m.next(now: 0) else { return }
        #expect(m.next(now: until) == .compact)
        m.finished(success: true, now: until)
        #expect(m.failures == 0)
        #expect(m.next(now: until) == .wait(until: until + 1000))
        m.stop()
        #expect(m.next(now: until) == .exit)
    }
}
