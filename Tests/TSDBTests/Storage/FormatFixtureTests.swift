import Foundation
import Testing

@testable import TSDB

/// A store written by each format version (`Fixtures/v<N>/store`, built from `CrashWorkload`
/// batches 0..<30 with 1 h blocks, then compacted) must open and answer exactly, forever.
/// Never delete an old version's fixture; add one per new version. Version 1: block
/// directories. Version 2: one file per block, LZ4-compressed indexes, raw-backed rollups.
@Suite struct FormatFixtureTests {
    static let batches = 30
    static let samplesPerBatch = 200
    static let seriesCount = 20

    /// The version this build writes.
    static let currentVersion = 2

    static func fixture(_ version: Int) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/v\(version)/store").path
    }

    static var options: StoreOptions {
        var o = StoreOptions()
        o.blockDuration = StoreOptions.hour
        o.retentionRaw = 0
        return o
    }

    /// Writes the current version's fixture (run by hand with TSDB_WRITE_FIXTURE=1 when adding a version).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TSDB_WRITE_FIXTURE"] != nil))
    func writeFixture() throws {
        let fixture = Self.fixture(Self.currentVersion)
        try? FileManager.default.removeItem(atPath: fixture)
        let store = try Store(directory: fixture, options: Self.options)
        for n in 0..<Self.batches {
            _ = try store.append(
                CrashWorkload.batch(number: n, seriesCount: Self.seriesCount, samples: Self.samplesPerBatch),
                sources: ["fixture/0": Int64(n + 1)])
        }
        try store.flush()
        _ = try store.compact()
        try store.close()
        try? FileManager.default.removeItem(atPath: fixture + "/LOCK")
    }

    @Test(arguments: [1, 2])
    func storeOfEveryVersionAnswersExactly(version: Int) throws {
        let copy = TempDirectory()
        try FileManager.default.copyItem(atPath: Self.fixture(version), toPath: copy.store)
        let store = try Store(directory: copy.store, options: Self.options)
        #expect(store.openReport.corruptBlocks.isEmpty)
        #expect(store.sourcePositions() == ["fixture/0": Int64(Self.batches)])
        var expected: [Int: [(Int64, Double)]] = [:]
        for n in 0..<Self.batches {
            for i in 0..<Self.samplesPerBatch {
                let s = CrashWorkload.sample(number: n, index: i, samples: Self.samplesPerBatch)
                expected[s.series % Self.seriesCount, default: []].append((s.timestamp, s.value))
            }
        }
        for s in 0..<Self.seriesCount {
            let got = try store.all(CrashWorkload.labels(s))
            let want = expected[s] ?? []
            #expect(got.timestamps == want.map(\.0))
            #expect(got.values.map(\.bitPattern) == want.map(\.1.bitPattern))
            let ref = store.select([.equal("shard", String(s))])[0].ref
            let hours = try store.rollups(ref, resolution: StoreOptions.hour)
            #expect(hours.reduce(0) { $0 + $1.count } == Int64(want.count))
            for bucket in hours {
                let inBucket = want.filter { TimeGrid.floor($0.0, StoreOptions.hour) == bucket.start }.map(\.1)
                #expect(bucket.count == Int64(inBucket.count) && bucket.min == inBucket.min() && bucket.max == inBucket.max())
            }
        }
        #expect(store.verify().isClean)
        // It compacts into the current format and still answers the same.
        _ = try store.compact()
        #expect(store.verify().isClean)
        #expect(
            try (0..<Self.seriesCount).reduce(0) { $0 + (try store.all(CrashWorkload.labels($1)).count) } == Self.batches
                * Self.samplesPerBatch)
    }
}
