import Testing

@testable import TSDB

@Suite struct StoreBasicsTests {
    @Test func appendReopenReadBack() throws {
        let dir = TempDirectory()
        let l = labels("api_latency_ms", "a", ["status": "200"])
        do {
            let store = try Store(directory: dir.store)
            var batch = WriteBatch()
            for i in 0..<1000 { batch.append(l, 1_000_000 + Int64(i) * 10, Double(i) / 10) }
            batch.append(l, 1_000_000, 42)  // equal timestamp, different value: both kept
            let r = try store.append(batch, sources: ["t/0": 1001])
            #expect(r.accepted == 1001)
            try store.close()
        }
        let store = try Store(directory: dir.store)
        #expect(store.openReport.wal.samples == 1001)
        let got = try store.all(l)
        #expect(got.count == 1001)
        #expect(got.timestamps == got.timestamps.sorted())
        #expect(got.values[0] == 0 && got.values[1] == 42)
        #expect(store.sourcePositions() == ["t/0": 1001])
    }

    @Test func replayedBatchIsStoredOnce() throws {
        let dir = TempDirectory()
        let store = try Store(directory: dir.store)
        var batch = WriteBatch()
        batch.append(labels("x"), 1, 1)
        #expect(try store.append(batch, sources: ["t/0": 10]).accepted == 1)
        #expect(try store.append(batch, sources: ["t/0": 10]).duplicate)
        #expect(try store.append(batch, sources: ["t/0": 5]).duplicate)
        #expect(try store.append(batch, sources: ["t/0": 11, "t/1": 3]).accepted == 1)
        #expect(try store.all(labels("x")).count == 2)
    }

    @Test func outOfOrderWindowAndCardinality() throws {
        let dir = TempDirectory()
        var options = StoreOptions()
        options.maxSeries = 2
        let store = try Store(directory: dir.store, options: options)
        var batch = WriteBatch()
        batch.append(labels("a"), 10 * StoreOptions.hour, 1)
        batch.append(labels("a"), 9 * StoreOptions.hour + 1, 2)  // inside the 1 h window
        batch.append(labels("a"), 9 * StoreOptions.hour - 1, 3)  // too old
        batch.append(labels("b"), 0, 4)
        batch.append(labels("c"), 0, 5)  // third series: over the cap
        let r = try store.append(batch)
        #expect(r.accepted == 3)
        #expect(r.rejected == [.tooOld: 1, .cardinalityLimit: 1])
        #expect(store.stats.rejected[.cardinalityLimit] == 1)
        var again = WriteBatch()
        again.append(labels("b"), 1, 6)
        #expect(try store.append(again).accepted == 1)
    }

    @Test func headCutsIntoBlocksAndReadsMerge() throws {
        let dir = TempDirectory()
        var options = StoreOptions()
        options.blockDuration = StoreOptions.hour
        let l = labels("cpu_usage_percent")
        var expected: [Int64] = []
        do {
            let store = try Store(directory: dir.store, options: options)
            for step in 0..<30 {
                var batch = WriteBatch()
                for i in 0..<100 {
                    let t = Int64(step) * 600_000 + Int64(i) * 6000
                    batch.append(l, t, Double(i))
                    expected.append(t)
                }
                _ = try store.append(batch)
            }
            #expect(store.stats.headCuts >= 4)
            #expect(try store.all(l).timestamps == expected)
            try store.close()
        }
        let store = try Store(directory: dir.store, options: options)
        #expect(try store.all(l).timestamps == expected)
        #expect(store.openReport.wal.samples < expected.count)
    }
}
