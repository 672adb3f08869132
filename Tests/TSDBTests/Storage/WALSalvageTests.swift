import Foundation
import Testing

@testable import TSDB

/// Issue 11, item 4: damage in the middle of the WAL, in a block or in the checkpoint is loud
/// (file and offset, counters, degraded), keeps every byte in `quarantine/`, and loses nothing
/// that the framing lets replay salvage.
@Suite struct WALSalvageTests {
    static let series = labels("queue_depth")

    /// Ten records of 100 samples each (batch `i` holds timestamps i*1000 ..< i*1000+100).
    static func writeTenRecords(_ dir: TempDirectory, options: StoreOptions = StoreOptions()) throws {
        let store = try Store(directory: dir.store, options: options)
        for i in 0..<10 { _ = try store.append(FaultTests.batch(Int64(i) * 1000), sources: ["p/0": Int64(i + 1)]) }
        try store.close()
    }

    static func segments(_ dir: TempDirectory) throws -> [String] {
        let wal = dir.store + "/wal"
        return try FileManager.default.contentsOfDirectory(atPath: wal).sorted().map { wal + "/" + $0 }
    }

    /// Offsets of the record frames in a segment.
    static func recordOffsets(_ bytes: [UInt8]) -> [Int] {
        var out: [Int] = []
        var o = WALFormat.headerSize
        while o + 8 <= bytes.count {
            out.append(o)
            let length = bytes[o..<o + 4].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            o += 8 + length
        }
        return out
    }

    static func read(_ path: String) throws -> [UInt8] { try Array(Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ path: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    @Test(arguments: ["body", "length", "crc"])
    func damageInTheMiddleIsReportedAndTheRecordsAfterItAreSalvaged(part: String) throws {
        let dir = TempDirectory()
        try Self.writeTenRecords(dir)
        let segment = try #require(try Self.segments(dir).last)
        var bytes = try Self.read(segment)
        let original = bytes
        let offsets = Self.recordOffsets(bytes)
        #expect(offsets.count == 10)
        let victim = offsets[4]
        switch part {
        case "length": bytes[victim + 1] ^= 0x7F  // the frame's length now points far away
        case "crc": bytes[victim + 5] ^= 0x01
        default: bytes[victim + 20] ^= 0x10
        }
        try Self.write(segment, bytes)

        let store = try Store(directory: dir.store)
        let report = store.openReport.wal
        let damage = try #require(report.corruption)
        #expect(damage.file == segment)
        #expect(damage.offset == Int64(victim))
        #expect(report.damagedRecords == 1)
        #expect(report.salvagedRecords == 5)
        #expect(store.stats.walCorruptions == 1 && store.stats.walDamagedRecords == 1)
        // Only the damaged record's 100 samples are gone; the five after it are back.
        let got = try store.all(Self.series)
        #expect(got.count == 900)
        #expect(!got.timestamps.contains(4000) && got.timestamps.contains(5000) && got.timestamps.last == 9099)
        #expect(store.sourcePositions() == ["p/0": 10])
        // The damaged segment is kept byte for byte in quarantine, and named.
        let copy = try #require(report.quarantined.first)
        #expect(copy.hasPrefix(dir.store + "/quarantine/"))
        #expect(try Self.read(copy) == bytes)
        #expect(store.stats.quarantined == [copy])
        #expect(bytes != original)
        #expect(!store.verify().isClean)
        try store.close()

        // The segment was rewritten with its good records: the next open replays cleanly.
        let again = try Store(directory: dir.store)
        #expect(again.openReport.wal.corruption == nil)
        #expect(try again.all(Self.series).count == 900)
        #expect(again.stats.quarantined == [copy])  // still there until an operator removes it
    }

    @Test func damageInAnOlderSegmentKeepsTheLaterSegments() throws {
        let dir = TempDirectory()
        var options = StoreOptions()
        options.walSegmentBytes = 1 << 20
        let store = try Store(directory: dir.store, options: options)
        // Large records (~100 KB each, random values do not compress): the WAL rolls over.
        var rng = StorageTestRNG(seed: 11)
        for i in 0..<40 {
            var b = WriteBatch()
            for j in 0..<10_000 { b.append(Self.series, Int64(i) * 100_000 + Int64(j), Double.random(in: 0..<1, using: &rng)) }
            _ = try store.append(b, sources: ["p/0": Int64(i + 1)])
        }
        try store.close()
        let segments = try Self.segments(dir)
        #expect(segments.count >= 3)
        var bytes = try Self.read(segments[0])
        let offsets = Self.recordOffsets(bytes)
        bytes[offsets[1] + 100] ^= 0xFF
        try Self.write(segments[0], bytes)

        let reopened = try Store(directory: dir.store, options: options)
        #expect(reopened.openReport.wal.damagedRecords == 1)
        #expect(try Self.segments(dir).count >= segments.count)
        #expect(try reopened.all(Self.series).count == 39 * 10_000)
        #expect(reopened.sourcePositions() == ["p/0": 40])
    }

    @Test func garbageBetweenRecordsIsSkipped() throws {
        let dir = TempDirectory()
        try Self.writeTenRecords(dir)
        let segment = try #require(try Self.segments(dir).last)
        var bytes = try Self.read(segment)
        let at = Self.recordOffsets(bytes)[3]
        var rng = StorageTestRNG(seed: 3)
        bytes.insert(contentsOf: (0..<777).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
        try Self.write(segment, bytes)
        let store = try Store(directory: dir.store)
        #expect(store.openReport.wal.skippedBytes == 777)
        #expect(try store.all(Self.series).count == 1000)
    }

    @Test func aTornTailIsNotDamage() throws {
        let dir = TempDirectory()
        try Self.writeTenRecords(dir)
        let segment = try #require(try Self.segments(dir).last)
        let bytes = try Self.read(segment)
        try Self.write(segment, Array(bytes.dropLast(7)))
        let store = try Store(directory: dir.store)
        #expect(store.openReport.wal.corruption != nil)
        #expect(store.openReport.wal.damagedRecords == 0)
        #expect(store.stats.quarantined.isEmpty)
        #expect(try store.all(Self.series).count == 900)
        #expect(store.verify().isClean)
    }

    @Test func aCorruptCheckpointIsQuarantinedAndRebuilt() throws {
        let dir = TempDirectory()
        var options = StoreOptions()
        options.blockDuration = StoreOptions.hour
        do {
            let store = try Store(directory: dir.store, options: options)
            for h in 0..<3 { _ = try store.append(FaultTests.batch(Int64(h) * StoreOptions.hour), sources: ["p/0": Int64(h + 1)]) }
            try store.flush()
            _ = try store.append(FaultTests.batch(3 * StoreOptions.hour), sources: ["p/0": 4])
            try store.close()
        }
        let checkpoint = dir.store + "/checkpoint"
        var bytes = try Self.read(checkpoint)
        bytes[bytes.count / 2] ^= 0x20
        try Self.write(checkpoint, bytes)
        let store = try Store(directory: dir.store, options: options)
        #expect(store.openReport.corruptCheckpoint?.file == checkpoint)
        #expect(store.stats.quarantined == [dir.store + "/quarantine/checkpoint"])
        #expect(try Self.read(dir.store + "/quarantine/checkpoint") == bytes)
        #expect(try store.all(Self.series).count == 400)
        #expect(store.sourcePositions() == ["p/0": 4])
    }

    @Test func aCorruptBlockIsMovedToQuarantineNotDeleted() throws {
        let dir = TempDirectory()
        var options = StoreOptions()
        options.blockDuration = StoreOptions.hour
        do {
            let store = try Store(directory: dir.store, options: options)
            for h in 0..<3 { _ = try store.append(FaultTests.batch(Int64(h) * StoreOptions.hour)) }
            try store.flush()
            try store.close()
        }
        let blocks = try FileManager.default.contentsOfDirectory(atPath: dir.store + "/blocks").sorted()
        let victim = dir.store + "/blocks/" + blocks[1]
        var bytes = try Self.read(victim)
        bytes[bytes.count - BlockWriter.footerSize - 3] ^= 0x01  // inside the meta section
        try Self.write(victim, bytes)
        let store = try Store(directory: dir.store, options: options)
        #expect(store.openReport.corruptBlocks.map(\.file) == [victim])
        let kept = dir.store + "/quarantine/" + blocks[1]
        #expect(store.stats.quarantined == [kept])
        #expect(try Self.read(kept) == bytes)
        #expect(!FileManager.default.fileExists(atPath: victim))
        #expect(try store.all(Self.series).count == 200)
        // Compaction and retention never touch the quarantine.
        _ = try store.compact()
        #expect(FileManager.default.fileExists(atPath: kept))
    }
}
