import Foundation
import LocalRedis
import Query
import Testing

@testable import Consumer
@testable import TSDB

/// The pipeline end to end with a real store, a real redis-server and the DLQ file sink.
@Suite struct IngestPipelineTests {
    static let now: Int64 = 1_764_288_000_000 + 3_600_000

    final class Fixture {
        let dir = NSTemporaryDirectory() + "pipeline-\(UInt32.random(in: 0...UInt32.max))"
        let store: Store
        let redis: RedisServer
        let pool: RedisPool
        let mirror: RedisMirror
        let stage: MirrorStage
        let pipeline: IngestPipeline

        init() throws {
            store = try Store(directory: dir + "/store")
            redis = try RedisServer()
            pool = RedisPool(options: redis.options(), maxConnections: 2)
            mirror = RedisMirror(pool: pool, config: .init(ttlSeconds: 3600))
            let store = self.store
            stage = MirrorStage(
                mirror: mirror, store: store,
                health: HealthQuery.documents(store: store))
            stage.retryInterval = 0.3  // catch-ups soon, but not in a loop that would race the checks
            pipeline = IngestPipeline(
                store: store, validator: EventValidator(clock: { IngestPipelineTests.now }),
                deadLetters: DeadLetterQueue(dataDirectory: dir), mirror: stage,
                quality: DataQualityReport(config: DataQualityConfig(), startedAt: IngestPipelineTests.now),
                clock: { IngestPipelineTests.now })
        }

        deinit {
            stage.close()
            redis.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }

        func dlq(_ topic: String) -> [DeadLetter] {
            guard let text = try? String(contentsOfFile: dir + "/dlq/\(topic).jsonl", encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap { DeadLetter(json: Array($0.utf8)) }
        }
    }

    static func json(_ service: String?, _ t: Int64, _ v: Double) -> [UInt8] {
        let s = service.map { "\"service\":\"\($0)\"," } ?? ""
        return Array("{\(s)\"type\":\"api_latency_ms\",\"value\":\(v),\"timestamp\":\(t),\"tags\":{\"status\":\"200\"}}".utf8)
    }

    @Test func validEventsStoredInvalidOnesDeadLetteredRedisMirrored() throws {
        let f = try Fixture()
        var messages: [KafkaMessage] = []
        for i in 0..<50 {
            messages.append(
                KafkaMessage(
                    topic: "api_metrics", partition: Int32(i % 2), offset: Int64(i / 2),
                    value: Self.json("api", Self.now - 60_000 + Int64(i), Double(i))))
        }
        messages.append(KafkaMessage(topic: "api_metrics", partition: 0, offset: 25, value: Array("{not json".utf8)))
        messages.append(KafkaMessage(topic: "api_metrics", partition: 1, offset: 25, value: Self.json("api", Self.now, -5)))
        messages.append(
            KafkaMessage(topic: "api_metrics", partition: 1, offset: 26, key: Array("keyed".utf8), value: Self.json(nil, Self.now - 1, 7)))
        messages.append(
            KafkaMessage(
                topic: "ingestion_metrics", partition: 0, offset: 0,
                value: Array("cpu,service=worker usage_percent=42.5 \(Self.now * 1_000_000)".utf8)))
        let outcome = try f.pipeline.process(messages)
        #expect(outcome.accepted == 52)
        #expect(outcome.rejected == ["invalid_json": 1, "out_of_range": 1])
        #expect(outcome.nextOffsets[TopicPartition("api_metrics", 0)] == 26 && outcome.nextOffsets[TopicPartition("api_metrics", 1)] == 27)
        #expect(f.store.sourcePositions() == ["api_metrics/0": 26, "api_metrics/1": 27, "ingestion_metrics/0": 1])
        #expect(try f.store.samples(Labels(type: "api_latency_ms", service: "api", tags: ["status": "200"])).count == 50)
        #expect(try f.store.samples(Labels(type: "api_latency_ms", service: "keyed", tags: ["status": "200"])).count == 1)
        #expect(try f.store.samples(Labels(type: "cpu_usage_percent", service: "worker")).values == [42.5])
        let dead = f.dlq("api_metrics")
        #expect(dead.map(\.reason).sorted() == ["invalid_json", "out_of_range"])
        #expect(dead.first { $0.reason == "invalid_json" }?.offset == 25)
        // Redis: the list is newest first, capped, with a TTL; the health list holds the summary.
        #expect(f.stage.drain())
        let c = try RedisConnection(options: f.redis.options())
        let list = try c.command("LRANGE", "metrics:api:api_latency_ms", "0", "-1").elements ?? []
        #expect(list.count == 50)
        let newest = try #require(list.first?.text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(newest["value"] as? Double == 49 && newest["service"] as? String == "api")
        #expect((try c.command("TTL", "metrics:api:api_latency_ms").integer ?? 0) > 0)
        let healthJSON = try #require(try c.command("LINDEX", "metrics:health:api", "0").text)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(healthJSON.utf8)) as? [String: Any])
        let windows = try #require(parsed["windows"] as? [String: Any])
        #expect(Set(windows.keys) == ["1m", "5m", "1h"])
        #expect((windows["1m"] as? [String: Any])?["count"] as? Int == 50)
    }

    @Test func replayedBatchIsStoredOnce() throws {
        let f = try Fixture()
        let messages = (0..<10).map {
            KafkaMessage(topic: "t", partition: 0, offset: Int64($0), value: Self.json("s", Self.now - 1000 + Int64($0), 1))
        }
        #expect(try f.pipeline.process(messages).accepted == 10)
        let again = try f.pipeline.process(messages)
        #expect(again.duplicate && again.accepted == 0)
        #expect(try f.store.samples(Labels(type: "api_latency_ms", service: "s", tags: ["status": "200"])).count == 10)
    }

    @Test func redisOutageKeepsIngestingAndTheMirrorCatchesUp() throws {
        let f = try Fixture()
        let l = Labels(type: "api_latency_ms", service: "s", tags: ["status": "200"])
        func batch(_ n: Int) -> [KafkaMessage] {
            (0..<10).map {
                KafkaMessage(
                    topic: "t", partition: 0, offset: Int64(n * 10 + $0),
                    value: Self.json("s", Self.now - 5000 + Int64(n * 10 + $0), Double(n * 10 + $0)))
            }
        }
        _ = try f.pipeline.process(batch(0))
        f.stage.drain()
        #expect(f.stage.stats.failedBatches == 0)
        f.redis.stop()
        _ = try f.pipeline.process(batch(1))
        f.stage.drain()
        _ = try f.pipeline.process(batch(2))
        f.stage.drain()
        #expect(f.stage.stats.failedBatches >= 1)
        #expect(try f.store.samples(l).count == 30)
        #expect(f.mirror.stats.errors >= 1 && f.mirror.isBehind)
        try f.redis.restart()
        _ = try f.pipeline.process(batch(3))
        f.stage.drain()
        #expect(!f.mirror.isBehind && f.stage.stats.catchUps == 1)
        let c = try RedisConnection(options: f.redis.options())
        let values = (try c.command("LRANGE", "metrics:s:api_latency_ms", "0", "-1").elements ?? []).compactMap { reply -> Double? in
            reply.text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["value"] as? Double
        }
        #expect(values.count == 40)
        #expect(values == (0..<40).reversed().map(Double.init))
    }
}

/// Issue 11, items 3, 4 and 7: hostile events are refused where they enter, and every sample
/// the store refuses is dead-lettered (not only the first 100) before its offsets count as done.
@Suite struct IngestPipelineRejectionTests {
    @Test func everyStoreRejectionIsDeadLettered() throws {
        let f = try IngestPipelineTests.Fixture()
        let now = IngestPipelineTests.now
        _ = try f.pipeline.process([KafkaMessage(topic: "t", partition: 0, offset: 0, value: IngestPipelineTests.json("s", now, 1))])
        // 150 events older than the store's out-of-order window, but young enough for the validator.
        let old = (1...150).map {
            KafkaMessage(
                topic: "t", partition: 0, offset: Int64($0), value: IngestPipelineTests.json("s", now - 3 * 3_600_000 + Int64($0), 2))
        }
        let outcome = try f.pipeline.process(old)
        #expect(outcome.accepted == 0)
        #expect(outcome.rejected == ["too_old": 150])
        let dead = f.dlq("t")
        #expect(dead.count == 150)
        #expect(Set(dead.map(\.offset)) == Set(1...150))
        #expect(dead.allSatisfy { $0.reason == "too_old" })
        #expect(outcome.nextOffsets[TopicPartition("t", 0)] == 151)
        #expect(f.stage.drain())
        let c = try RedisConnection(options: f.redis.options())
        #expect((try c.command("LLEN", "metrics:s:api_latency_ms").integer ?? -1) == 1)
    }

    @Test func hostileEventsAreRefusedWithTheirReason() throws {
        let f = try IngestPipelineTests.Fixture()
        let now = IngestPipelineTests.now
        let hugeTag =
            "{\"service\":\"s\",\"type\":\"t\",\"value\":1,\"timestamp\":\(now),\"tags\":{\"k\":\"\(String(repeating: "x", count: 70_000))\"}}"
        let manyTags = (0..<1100).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
        let tooMany = "{\"service\":\"s\",\"type\":\"t\",\"value\":1,\"timestamp\":\(now),\"tags\":{\(manyTags)}}"
        let hugeLatency = "{\"service\":\"s\",\"type\":\"api_latency_ms\",\"value\":1e19,\"timestamp\":\(now)}"
        let lineProtocol = "cpu,service=w,k=\(String(repeating: "y", count: 20_000)) usage_percent=1 \(now * 1_000_000)"
        let messages = [hugeTag, tooMany, hugeLatency, lineProtocol, "{\"service\":\"s\",\"type\":\"t\",\"value\":5,\"timestamp\":\(now)}"]
            .enumerated().map { KafkaMessage(topic: "t", partition: 0, offset: Int64($0.offset), value: Array($0.element.utf8)) }
        let outcome = try f.pipeline.process(messages)
        #expect(outcome.accepted == 1)
        #expect(outcome.rejected == ["label_value_too_long": 2, "too_many_labels": 1, "out_of_range": 1])
        #expect(f.dlq("t").map(\.offset).sorted() == [0, 1, 2, 3])
        try f.store.close()
        let reopened = try Store(directory: f.dir + "/store")
        #expect(try reopened.samples(Labels(type: "t", service: "s")).values == [5])
    }
}
