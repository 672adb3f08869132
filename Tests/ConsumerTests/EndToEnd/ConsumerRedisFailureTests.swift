import Foundation
import LocalRedis
import TSDB
import Testing

@testable import Consumer

/// Redis failing under a running consumer. Frozen (SIGSTOP): the mirror's queue fills and the
/// consumer pauses its partitions instead of buffering. Killed: ingest goes on, failures are
/// counted. Either way, once Redis answers again the store holds everything once and the lists
/// catch up.
@Suite struct ConsumerRedisFailureTests {
    static let now: Int64 = 1_764_288_000_000

    @Test func frozenRedisPausesPartitionsThenEverythingCatchesUp() async throws {
        let cluster = try MockKafkaCluster()
        let workload = try EndToEndWorkload.onFreshTopics(cluster, base: Self.now - 600_000, invalidEvery: 0)
        let redis = try RedisServer()
        let harness = try await ConsumerServiceHarness.make(
            cluster: cluster, workload: workload, group: "bp-\(UUID().uuidString)", now: Self.now, redis: redis, mirrorCapacity: 200,
            batchSize: 100)
        var records = try workload.produce(0..<400, bootstrap: cluster.bootstrapServers)
        harness.start()
        #expect(waitUntil(.seconds(30)) { harness.service.stats.messages >= 400 })
        redis.suspend()
        records += try workload.produce(400..<1400, bootstrap: cluster.bootstrapServers)
        let paused = waitUntil(.seconds(20)) { harness.service.stats.backpressurePauses > 0 }
        redis.resume()
        #expect(paused, "the consumer never paused while Redis was frozen")
        #expect(waitUntil(.seconds(40)) { harness.service.stats.messages >= 1400 })
        try harness.stop()

        let expected = records.compactMap(\.event)
        #expect(try harness.store.allEndToEndSamples() == expected.map(EndToEndSample.init).sorted())
        // The lists caught up: each holds the newest min(1000, n) samples of its series.
        var counts: [String: Int] = [:]
        for e in expected { counts[RedisMirror.listKey(service: e.labels.serviceName, type: e.labels.metricType), default: 0] += 1 }
        let c = try RedisConnection(options: redis.options())
        for (key, n) in counts {
            #expect(try c.command("LLEN", .string(key)).integer == Int64(min(1000, n)), "\(key)")
        }
        #expect(harness.service.stats.pausedSeconds > 0)
    }

    @Test func redisOutageKeepsIngestingAndTheListsCatchUp() async throws {
        let cluster = try MockKafkaCluster()
        let workload = try EndToEndWorkload.onFreshTopics(cluster, base: Self.now - 600_000, invalidEvery: 0)
        let redis = try RedisServer()
        let harness = try await ConsumerServiceHarness.make(
            cluster: cluster, workload: workload, group: "outage-\(UUID().uuidString)", now: Self.now, redis: redis, batchSize: 100)
        var records = try workload.produce(0..<400, bootstrap: cluster.bootstrapServers)
        harness.start()
        #expect(waitUntil(.seconds(30)) { harness.service.stats.messages >= 400 })
        redis.stop()
        records += try workload.produce(400..<1200, bootstrap: cluster.bootstrapServers)
        // Ingest goes on without Redis; the failures are counted.
        #expect(waitUntil(.seconds(30)) { harness.service.stats.messages >= 1200 }, "ingest stalled while Redis was down")
        let mirror = try #require(harness.service.pipeline.mirror)
        #expect(mirror.mirror.stats.errors > 0 && mirror.stats.failedBatches > 0)
        try redis.restart()
        records += try workload.produce(1200..<1300, bootstrap: cluster.bootstrapServers)
        #expect(waitUntil(.seconds(30)) { harness.service.stats.messages >= 1300 && mirror.stats.catchUps > 0 })
        try harness.stop()

        let expected = records.compactMap(\.event)
        #expect(try harness.store.allEndToEndSamples() == expected.map(EndToEndSample.init).sorted())
        var newest: [String: [MetricEvent]] = [:]
        for e in expected { newest[RedisMirror.listKey(service: e.labels.serviceName, type: e.labels.metricType), default: []].append(e) }
        let c = try RedisConnection(options: redis.options())
        for (key, events) in newest {
            // The list holds the series' newest min(1000, n) samples, the newest first.
            let list = (try c.command("LRANGE", .string(key), 0, -1).elements ?? []).compactMap(\.text)
            #expect(list.count == min(1000, events.count), "\(key)")
            let latest = events.map(\.timestamp).max() ?? 0
            #expect(list.first.map { $0.contains("\"timestamp\":\(latest)") } == true, "\(key) head is not the newest sample")
        }
    }
}
