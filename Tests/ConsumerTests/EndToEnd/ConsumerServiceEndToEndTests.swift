import Foundation
import LocalRedis
import TSDB
import Testing

@testable import Consumer

/// Kafka (mock cluster) -> ConsumerService -> store, DLQ file and Redis, in one process:
/// exactly the valid records stored, exactly the invalid ones dead-lettered with their reason,
/// the produced end offsets recorded, the Redis lists capped, expiring and parseable.
@Suite struct ConsumerServiceEndToEndTests {
    static let total = 3000
    static let now: Int64 = 1_764_288_000_000

    @Test func validStoredInvalidDeadLetteredOffsetsRecordedRedisMirrored() async throws {
        let cluster = try MockKafkaCluster()
        let workload = try EndToEndWorkload.onFreshTopics(cluster, base: Self.now - 600_000, invalidEvery: 10, deadLetterTopics: true)
        let records = try workload.produce(0..<Self.total, bootstrap: cluster.bootstrapServers)
        let redis = try RedisServer()
        let harness = try await ConsumerServiceHarness.make(
            cluster: cluster, workload: workload, group: "e2e-\(UUID().uuidString)", now: Self.now, redis: redis)
        harness.start()
        let consumed = waitUntil(.seconds(40)) { harness.service.stats.messages >= Self.total }
        try harness.stop()
        #expect(consumed, "consumed \(harness.service.stats.messages) of \(Self.total)")
        let stats = harness.service.stats
        #expect(stats.messages == Self.total && stats.duplicateBatches == 0)
        #expect(harness.service.pipeline.mirror?.stats.failedBatches ?? 0 == 0)

        // The store holds exactly the valid records: same multiset of (series, time, value bits).
        let expected = records.compactMap(\.event).map(EndToEndSample.init).sorted()
        let stored = try harness.store.allEndToEndSamples()
        #expect(stored.count == expected.count)
        #expect(stored == expected)
        #expect(stats.stored == expected.count)

        // The `<topic>.dlq` topics hold exactly the invalid records, each with its reason and origin.
        let (offsets, ends) = EndToEndWorkload.offsets(records)
        var expectedDead: [String] = []
        for r in records where r.event == nil {
            expectedDead.append(
                "\(r.topic)/\(r.partition)@\(offsets[r.index] ?? -1) \(r.reason ?? "") \(String(decoding: r.value, as: UTF8.self))")
        }
        let kafkaDead = try harness.kafkaDeadLetters([workload.apiTopic, workload.metricsTopic], count: expectedDead.count)
        #expect(harness.fileDeadLetters(workload.apiTopic).isEmpty && harness.service.pipeline.deadLetters.stats.fallbacks == 0)
        let dead = kafkaDead.map {
            "\($0.topic)/\($0.partition)@\($0.offset) \($0.reason) \(String(decoding: $0.value, as: UTF8.self))"
        }
        #expect(dead.sorted() == expectedDead.sorted())
        #expect(stats.rejected == expectedDead.count)

        // Source positions: the produced end offset of every partition.
        #expect(harness.store.sourcePositions() == ends)

        try checkRedis(redis, expected: records.compactMap(\.event))
    }

    /// Every series list: min(1000, count) distinct stored samples as JSON, with a TTL; the
    /// latest key holds one of them; each service has a parseable health list.
    func checkRedis(_ redis: RedisServer, expected events: [MetricEvent]) throws {
        let c = try RedisConnection(options: redis.options())
        var bySeries: [String: Set<EndToEndSample>] = [:]
        for e in events {
            bySeries[RedisMirror.listKey(service: e.labels.serviceName, type: e.labels.metricType), default: []].insert(.init(e))
        }
        #expect(bySeries.values.contains { $0.count > 1000 }, "the workload must overflow one list to test the cap")
        for (key, samples) in bySeries {
            let list = (try c.command("LRANGE", .string(key), 0, -1).elements ?? []).map { $0.text ?? "" }
            #expect(list.count == min(1000, samples.count), "\(key)")
            var seen = Set<EndToEndSample>()
            for text in list {
                let parsed = try #require(Self.event(text), "\(key): \(text)")
                #expect(samples.contains(parsed), "\(key): \(text) was never produced")
                seen.insert(parsed)
            }
            #expect(seen.count == list.count, "\(key) holds duplicates")
            let ttl = try c.command("TTL", .string(key)).integer ?? -99
            #expect(ttl > 0 && ttl <= 600, "\(key) ttl \(ttl)")
            let latestKey = key.replacingOccurrences(of: "metrics:", with: "metrics:latest:")
            let latest = try #require(try c.command("GET", .string(latestKey)).text.flatMap(Self.event), "\(latestKey)")
            #expect(samples.contains(latest))
        }
        for service in Set(events.map(\.labels.serviceName)) {
            let health = try c.command("LRANGE", .string(RedisMirror.healthKey(service: service)), 0, -1).elements ?? []
            #expect(!health.isEmpty && health.count <= 100, "health list of \(service)")
            for h in health {
                #expect(h.text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } != nil)
            }
        }
    }

    /// A mirrored sample's JSON back as a sample (nil when it does not parse).
    static func event(_ text: String) -> EndToEndSample? {
        (try? EventParser().parse(text)).map(EndToEndSample.init)
    }
}
