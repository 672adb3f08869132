import Foundation
import Testing

@testable import TSDB

/// Full disks, failed fsyncs and corrupt files: clear errors, nothing acknowledged lost.
@Suite struct FaultTests {
    static func batch(_ base: Int64, _ n: Int = 100) -> WriteBatch {
        var b = WriteBatch()
        for i in 0..<n { b.append(labels("queue_depth"), base + Int64(i), Double(i)) }
        return b
    }

    static func isNoSpace(_ outcome: Result<AppendResult, StoreError>) -> Bool {
        guard case .failure(.io(let io)) = outcome else { return false }
        return io.isNoSpace && "\(StoreError.io(io))".contains("free disk space")
    }

    @Test(arguments: [FaultPlan.Operation.write, .fsync])
    func failedWriteOrFsyncFailsTheAppendAndLosesNothing(op: FaultPlan.Operation) throws {
        let dir = TempDirectory()
        let faults = FaultPlan()
        do {
            let store = try Store(directory: dir.store, fileSystem: FileSystem(faults: faults))
            _ = try store.append(Self.batch(0), sources: ["p": 1])
            faults.fail(op, errno: ENOSPC, pathContains: "/wal/")
            for attempt in 0..<3 {
                let outcome = Result { () throws(StoreError) in
                    try store.append(Self.batch(1000 + Int64(attempt) * 100), sources: ["p": 2])
                }
                #expect(Self.isNoSpace(outcome), "attempt \(attempt): \(outcome)")
            }
            #expect(try store.all(labels("queue_depth")).count == 100)
            #expect(store.sourcePositions() == ["p": 1])
            faults.clear()
            _ = try store.append(Self.batch(2000), sources: ["p": 3])
            #expect(try store.all(labels("queue_depth")).count == 200)
            try store.close()
        }
        let reopened = try Store(directory: dir.store)
        let got = try reopened.all(labels("queue_depth"))
        #expect(got.count == 200)
        #expect(got.timestamps.first == 0 && got.timestamps.last == 2099)
        #expect(reopened.sourcePositions() == ["p": 3])
    }

    @Test func failedBlockCutKeepsTheHeadAndRetries() throws {
        let dir = TempDirectory()
        let faults = FaultPlan()
        var options = StoreOptions()
        options.blockDuration = StoreOptions.hour
        let store = try Store(directory: dir.store, options: options, fileSystem: FileSystem(faults: faults))
        faults.fail(.create, errno: ENOSPC, pathContains: "/blocks/")
        for h in 0..<3 { _ = try store.append(Self.batch(Int64(h) * StoreOptions.hour)) }
        #expect(store.stats.cutFailures > 0)
        faults.clear()
        _ = try store.append(Self.batch(3 * StoreOptions.hour))
        #expect(store.stats.headCuts >= 1)
        #expect(try store.all(labels("queue_depth")).count == 400)
    }

    @Test func corruptWALTailIsCutAtTheLastGoodRecord() throws {
        let dir = TempDirectory()
        do {
            let store = try Store(directory: dir.store)
            for i in 0..<10 { _ = try store.append(Self.batch(Int64(i) * 1000)) }
            try store.close()
        }
        let walDir = dir.store + "/wal"
        let segment = walDir + "/" + (try FileManager.default.contentsOfDirectory(atPath: walDir).sorted().last!)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: segment)))
        let size = bytes.count
        bytes[size - 10] ^= 0x40  // inside the last record
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let store = try Store(directory: dir.store)
        let corruption = try #require(store.openReport.wal.corruption)
        #expect(corruption.file == segment)
        #expect(corruption.offset > 0 && corruption.offset < Int64(size))
        #expect(store.stats.walCorruptions == 1)
        #expect(try store.all(labels("queue_depth")).count == 900)
        // Repaired: it appends and reopens cleanly.
        _ = try store.append(Self.batch(50_000))
        try store.close()
        let again = try Store(directory: dir.store)
        #expect(again.openReport.wal.corruption == nil)
        #expect(try again.all(labels("queue_depth")).count == 1000)
    }

    @Test func truncatedWALRecordsAreCut() throws {
        for cut in [1, 5, 9, 200] {
            let dir = TempDirectory()
            do {
                let store = try Store(directory: dir.store)
                for i in 0..<5 { _ = try store.append(Self.batch(Int64(i) * 1000)) }
                try store.close()
            }
            let walDir = dir.store + "/wal"
            let segment = walDir + "/" + (try FileManager.default.contentsOfDirectory(atPath: walDir).sorted().last!)
            let handle = try Foundation.FileHandle(forWritingTo: URL(fileURLWithPath: segment))
            let size = try handle.seekToEnd()
            try handle.truncate(atOffset: size - UInt64(cut))
            try handle.close()
            let store = try Store(directory: dir.store)
            #expect(store.openReport.wal.corruption != nil)
            #expect(try store.all(labels("queue_depth")).count == 400)
        }
    }

    /// Flipped bits in a block's columns, index or meta section: a typed error naming the
    /// file; the other blocks stay readable.
    @Test(arguments: ["columns", "index", "meta"])
    func corruptBlockFileIsNamedAndIsolated(file: String) throws {
        let dir = TempDirectory()
        var options = StoreOptions()
        options.blockDuration = StoreOptions.hour
        let a = labels("queue_depth", "a")
        let b = labels("queue_depth", "b")
        do {
            let store = try Store(directory: dir.store, options: options)
            for h in 0..<3 {
                var batch = WriteBatch()
                for i in 0..<500 {
                    batch.append(a, Int64(h) * StoreOptions.hour + Int64(i) * 1000, Double(i))
                    batch.append(b, Int64(h) * StoreOptions.hour + Int64(i) * 1000, Double(i) * 2)
                }
                _ = try store.append(batch)
            }
            try store.flush()
            try store.close()
        }
        let blocksDir = dir.store + "/blocks"
        let blocks = try FileManager.default.contentsOfDirectory(atPath: blocksDir).sorted()
        #expect(blocks.count == 3)
        // One file per block: the footer says where the index and the meta lie.
        let victim = blocksDir + "/" + blocks[1]
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: victim)))
        let footer = bytes.count - BlockWriter.footerSize
        let indexOffset = bytes[footer..<(footer + 8)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let indexLength = bytes[(footer + 8)..<(footer + 12)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let section: Range<Int> =
            switch file {
            case "columns": 8..<indexOffset
            case "index": indexOffset..<(indexOffset + indexLength)
            default: (indexOffset + indexLength)..<footer
            }
        bytes[(section.lowerBound + section.upperBound) / 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: victim))
        let store = try Store(directory: dir.store, options: options)
        if file == "columns" {
            #expect(store.openReport.corruptBlocks.isEmpty)
            let outcome = Result { () throws -> Int in try store.all(a).count + store.all(b).count }
            guard case .failure(StoreError.corruption(let c)) = outcome else {
                Issue.record("corrupt column read gave \(outcome)")
                return
            }
            #expect(c.file == victim)
            #expect(c.series != nil)
            // Windows that avoid the corrupt block still read.
            let ref = store.select([.equal("service", "a")])[0].ref
            #expect(try store.samples(ref, from: 0, to: StoreOptions.hour).count == 500)
        } else {
            #expect(store.openReport.corruptBlocks.map(\.file) == [victim])
            #expect(try store.all(a).count == 1000)
        }
        let report = store.verify()
        #expect(!report.isClean)
        #expect(report.problems.contains { $0.file == victim })
    }

    @Test func randomBytesNeverCrashTheDecoders() {
        var rng = StorageTestRNG(seed: 7)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? BlockMeta.decode(bytes, file: "m")
            _ = try? BlockIndex.decode(bytes, file: "i", columnsSize: 1000)
            _ = try? Checkpoint.decode(bytes, file: "c")
            _ = try? CompactionJournal.decode(bytes, file: "j")
            _ = bytes.withUnsafeBytes { try? WALFormat.decodeBody($0) }
        }
        // Valid encodings with one flipped bit are rejected by the CRC, never trap.
        var meta = BlockMeta(kind: .raw, minT: 1, maxT: 2, samples: 3, series: 1)
        meta.sources = ["a/1": 5]
        let good = meta.encode()
        for i in 0..<good.count * 8 {
            var bad = good
            bad[i / 8] ^= 1 << (i % 8)
            #expect(throws: CorruptionError.self) { try BlockMeta.decode(bad, file: "m") }
        }
    }
}
