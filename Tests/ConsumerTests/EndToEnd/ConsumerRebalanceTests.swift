import Foundation
import TSDB
import Testing

@testable import Consumer

/// Two ConsumerServices in one group, each with its own store, over 2 topics x 4 partitions;
/// the second joins after the first consumed a backlog, records keep arriving. A partition
/// that moves continues exactly where the first store stopped (revocation flushes and
/// commits), so the union of the stores holds every record exactly once.
@Suite struct ConsumerRebalanceTests {
    static let now: Int64 = 1_764_288_000_000
    static let parts = [0..<3000, 3000..<5000, 5000..<6000]

    @Test func secondMemberTakesOverPartitionsWithoutLossOrDuplicates() async throws {
        let cluster = try MockKafkaCluster()
        let workload = try EndToEndWorkload.onFreshTopics(cluster, partitions: 4, base: Self.now - 600_000, invalidEvery: 0)
        let group = "rebalance-\(UUID().uuidString)"
        var records = try workload.produce(Self.parts[0], bootstrap: cluster.bootstrapServers)
        let first = try await ConsumerServiceHarness.make(cluster: cluster, workload: workload, group: group, now: Self.now)
        first.start()
        let firstDrained = waitUntil(.seconds(30)) { first.service.stats.messages >= Self.parts[0].count }
        #expect(firstDrained, "first member consumed \(first.service.stats.messages)")

        let second = try await ConsumerServiceHarness.make(cluster: cluster, workload: workload, group: group, now: Self.now)
        second.start()
        records += try workload.produce(Self.parts[1], bootstrap: cluster.bootstrapServers)
        let secondActive = waitUntil(.seconds(30)) { second.service.stats.messages > 0 }
        records += try workload.produce(Self.parts[2], bootstrap: cluster.bootstrapServers)
        let (offsets, ends) = EndToEndWorkload.offsets(records)
        let complete = waitUntil(.seconds(40)) {
            ends.allSatisfy { key, end in
                max(first.store.sourcePositions()[key] ?? 0, second.store.sourcePositions()[key] ?? 0) == end
            }
        }
        first.service.stop()
        second.service.stop()
        try first.stop()
        try second.stop()
        #expect(secondActive && complete, "second member consumed \(second.service.stats.messages); complete \(complete)")

        // Every record exactly once in the union of the stores.
        let a = try first.store.allEndToEndSamples()
        let b = try second.store.allEndToEndSamples()
        #expect((a + b).sorted() == records.compactMap(\.event).map(EndToEndSample.init).sorted())
        #expect(!b.isEmpty)

        // Per partition: the first store holds a prefix of the offsets and records where it ends;
        // the second continues from there to the end.
        var held: [String: (a: [Int64], b: [Int64])] = [:]
        let byIndex = Dictionary(uniqueKeysWithValues: records.map { ($0.index, $0) })
        for (samples, isFirst) in [(a, true), (b, false)] {
            for s in samples {
                let index = Int(s.timestamp - workload.base)
                guard let r = byIndex[index], let offset = offsets[index] else {
                    Issue.record("sample at \(s.timestamp) was never produced")
                    continue
                }
                let key = "\(r.topic)/\(r.partition)"
                if isFirst { held[key, default: ([], [])].a.append(offset) } else { held[key, default: ([], [])].b.append(offset) }
            }
        }
        var moved = 0
        for (key, end) in ends {
            let (ha, hb) = (held[key]?.a.sorted() ?? [], held[key]?.b.sorted() ?? [])
            let split = Int64(ha.count)
            #expect(ha == Array(0..<split), "\(key): first store is not a prefix")
            #expect(hb == Array(split..<end), "\(key): second store does not continue at \(split)")
            #expect(first.store.sourcePositions()[key] == (split > 0 ? split : nil), "\(key)")
            if !hb.isEmpty {
                moved += split > 0 ? 1 : 0
                #expect(second.store.sourcePositions()[key] == end, "\(key)")
            }
        }
        #expect(moved > 0, "no partition moved from the first member to the second")
        #expect(first.service.stats.duplicateBatches == 0 && second.service.stats.duplicateBatches == 0)
    }
}
