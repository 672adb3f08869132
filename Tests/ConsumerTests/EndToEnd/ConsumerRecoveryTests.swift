import Foundation
import TSDB
import Testing

@testable import Consumer

/// Kafka failures the service must ride out: a broker outage (librdkafka reconnects; events
/// produced after it are consumed) and offsets out of range (auto.offset.reset moves partitions
/// back to the earliest offset; records the store already holds are skipped, not stored twice).
@Suite(.serialized) struct ConsumerRecoveryTests {
    static let now: Int64 = 1_764_288_000_000

    struct Setup {
        let cluster: MockKafkaCluster
        let workload: EndToEndWorkload
        let harness: ConsumerServiceHarness

        init() async throws {
            cluster = try MockKafkaCluster()
            workload = try EndToEndWorkload.onFreshTopics(
                cluster, base: ConsumerRecoveryTests.now - 600_000, invalidEvery: 0, deadLetterTopics: true)
            harness = try await ConsumerServiceHarness.make(
                cluster: cluster, workload: workload, group: "recovery-\(UUID().uuidString)", now: ConsumerRecoveryTests.now)
        }

        /// Waits until `count` messages were processed, stops the loop and checks the store
        /// holds exactly the produced events, each once.
        func finish(_ records: [EndToEndRecord], count: Int) throws {
            let consumed = waitUntil(.seconds(60)) { harness.service.stats.messages >= count }
            try harness.stop()
            #expect(consumed, "processed \(harness.service.stats.messages) of \(count): \(harness.service.stats.recentKafkaEvents)")
            let expected = records.compactMap(\.event).map(EndToEndSample.init).sorted()
            let stored = try harness.store.allEndToEndSamples()
            #expect(stored.count == expected.count)
            #expect(stored == expected)
            #expect(harness.store.sourcePositions() == EndToEndWorkload.offsets(records).ends)
        }
    }

    @Test func brokerOutageIsSurvivedWithoutLossOrDuplicates() async throws {
        let s = try await Setup()
        var records = try s.workload.produce(0..<800, bootstrap: s.cluster.bootstrapServers)
        s.harness.start()
        #expect(waitUntil(.seconds(30)) { s.harness.service.stats.messages >= 800 })
        try s.cluster.setBroker(up: false)
        #expect(waitUntil(.seconds(15)) { (s.harness.service.stats.kafkaEvents["broker_unavailable"] ?? 0) > 0 }, "outage not reported")
        try s.cluster.setBroker(up: true)
        records += try s.workload.produce(800..<1600, bootstrap: s.cluster.bootstrapServers)
        try s.finish(records, count: 1600)
        #expect(s.harness.service.stats.kafkaEvents["broker_unavailable"] ?? 0 > 0)
    }

    @Test func offsetOutOfRangeResetsToEarliestWithoutDoubles() async throws {
        let s = try await Setup()
        var records = try s.workload.produce(0..<800, bootstrap: s.cluster.bootstrapServers)
        s.harness.start()
        #expect(waitUntil(.seconds(30)) { s.harness.service.stats.messages >= 800 })
        // The next fetches answer OFFSET_OUT_OF_RANGE: librdkafka resets the partitions to earliest
        // and the consumer sees every record again.
        s.cluster.failNextRequests(apiKey: 1, with: [1, 1, 1])
        records += try s.workload.produce(800..<1000, bootstrap: s.cluster.bootstrapServers)
        #expect(waitUntil(.seconds(30)) { s.harness.service.stats.replayedSkipped > 0 }, "no replay after the reset")
        let stats = s.harness.service.stats
        try s.finish(records, count: 1000 + stats.replayedSkipped)
        #expect(s.harness.service.stats.duplicateBatches + s.harness.service.stats.replayedSkipped > 0)
    }
}
