import Foundation
import Testing

@testable import TSDB

@Suite struct StoreLimitsTests {
    @Test func headMemoryBoundCutsBlocksEarly() throws {
        let dir = TempDirectory()
        var options = StoreOptions()
        options.maxHeadBytes = 1 << 20
        let store = try Store(directory: dir.store, options: options)
        let l = labels("queue_depth")
        for b in 0..<20 {
            var batch = WriteBatch()
            for i in 0..<10_000 { batch.append(l, Int64(b * 10_000 + i), Double(i)) }
            _ = try store.append(batch)
        }
        // 200 k samples take ~3.2 MB in the head: the 1 MiB bound forced cuts within one block range.
        #expect(store.stats.headCuts >= 2)
        #expect(store.inventory().headSamples * 16 <= 1 << 20 + 160_000)
        #expect(try store.all(l).count == 200_000)
    }

    @Test func concurrentAppendersShareFsyncs() throws {
        let dir = TempDirectory()
        let store = try Store(directory: dir.store)
        let threads = 4
        let batchesPerThread = 50
        // Real threads: concurrentPerform may run iterations one after another on a busy pool.
        let done = DispatchSemaphore(value: 0)
        for th in 0..<threads {
            Thread {
                defer { done.signal() }
                for b in 0..<batchesPerThread {
                    var batch = WriteBatch()
                    for i in 0..<100 { batch.append(labels("queue_depth", "s\(th)"), Int64(b * 100 + i), Double(i)) }
                    do {
                        let r = try store.append(batch, sources: ["t/\(th)": Int64(b + 1)])
                        #expect(r.accepted == 100)
                    } catch {
                        Issue.record("append failed: \(error)")
                    }
                }
            }.start()
        }
        for _ in 0..<threads { done.wait() }
        let stats = store.stats
        #expect(stats.appendedBatches == threads * batchesPerThread)
        // Group commit: appenders that wrote while another fsynced ride on its fsync.
        #expect(stats.walFsyncs < threads * batchesPerThread)
        for th in 0..<threads { #expect(try store.all(labels("queue_depth", "s\(th)")).count == 100 * batchesPerThread) }
        try store.close()
        let reopened = try Store(directory: dir.store)
        for th in 0..<threads {
            #expect(reopened.sourcePositions()["t/\(th)"] == Int64(batchesPerThread))
            #expect(try reopened.all(labels("queue_depth", "s\(th)")).count == 100 * batchesPerThread)
        }
    }
}
