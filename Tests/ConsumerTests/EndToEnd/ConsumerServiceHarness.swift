import Foundation
import LocalRedis
import Query
import QueryHTTP
import TSDB

@testable import Consumer

/// A `ConsumerService` wired as `metrics-consumer` wires it (store in its own directory,
/// dead letters to the `<topic>.dlq` topics (file fallback), optional Redis mirror with health
/// documents), running on its own thread.
final class ConsumerServiceHarness: @unchecked Sendable {
    let directory: String
    let store: Store
    let mirror: RedisMirror?
    let service: ConsumerService
    private let cluster: MockKafkaCluster
    private let finished = NSCondition()
    private var done = false
    private var failure: Error?

    init(
        cluster: MockKafkaCluster, workload: EndToEndWorkload, group: String, now: Int64, redis: RedisServer? = nil,
        mirrorCapacity: Int = 50_000, batchSize: Int = 500
    ) throws {
        directory = NSTemporaryDirectory() + "consumer-e2e-\(UUID().uuidString)"
        self.cluster = cluster
        var config = ConsumerConfig()
        config.kafkaBrokers = cluster.bootstrapServers
        config.metricsTopic = workload.metricsTopic
        config.apiMetricsTopic = workload.apiTopic
        config.groupID = group
        config.batchSize = batchSize
        config.flushIntervalSeconds = 0.2
        config.dataDirectory = directory
        config.kafka = KafkaConfig([
            "bootstrap.servers": cluster.bootstrapServers, "group.id": group, "session.timeout.ms": "6000",
            "heartbeat.interval.ms": "500", "log_level": "3", "fetch.wait.max.ms": "10",
        ])
        store = try Store(directory: directory, options: config.store)
        mirror = redis.map { RedisMirror(pool: RedisPool(options: $0.options(), maxConnections: 2), config: .init(ttlSeconds: 600)) }
        let store = self.store
        let stage = mirror.map {
            MirrorStage(
                mirror: $0, store: store, capacity: mirrorCapacity,
                health: PromAPI.healthDocuments(store: store))
        }
        let pipeline = IngestPipeline(
            store: store, validator: EventValidator(clock: { now }),
            deadLetters: DeadLetterQueue(
                file: DeadLetterFileSink(dataDirectory: directory),
                producer: try KafkaProducer(config: KafkaConfig(["bootstrap.servers": cluster.bootstrapServers, "log_level": "3"]))),
            mirror: stage,
            quality: DataQualityReport(config: DataQualityConfig(), startedAt: now), clock: { now })
        service = try ConsumerService(config: config, pipeline: pipeline, kafka: config.kafka)
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts the poll loop on a new thread.
    func start() {
        Thread.detachNewThread { [self] in
            var error: Error?
            do { try service.run() } catch let e { error = e }
            finished.lock()
            failure = error
            done = true
            finished.broadcast()
            finished.unlock()
        }
    }

    /// Stops the loop and waits (bounded) for it to return; throws what the loop threw.
    func stop() throws {
        service.stop()
        finished.lock()
        let deadline = Date().addingTimeInterval(30)
        while !done && finished.wait(until: deadline) {}
        let (ended, error) = (done, failure)
        finished.unlock()
        if let error { throw error }
        guard ended else { throw KafkaTestFailure("the consumer loop did not stop within 30 s") }
    }

    /// The dead letters written to the DLQ file of `topic`.
    func fileDeadLetters(_ topic: String) -> [DeadLetter] {
        let path = DeadLetterFileSink(dataDirectory: directory).path(forTopic: topic)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { DeadLetter(json: Array($0.utf8)) }
    }

    /// The dead letters on the `<topic>.dlq` topics: read until `count` arrived (or 20 s
    /// passed), then half a second more so that extra records would show.
    func kafkaDeadLetters(_ topics: [String], count: Int) throws -> [DeadLetter] {
        let consumer = try KafkaConsumer(
            config: KafkaConfig(["bootstrap.servers": cluster.bootstrapServers, "group.id": "dlq-\(UUID().uuidString)", "log_level": "3"]),
            topics: topics.map(DeadLetterQueue.topic(for:)))
        defer { try? consumer.close() }
        var messages = try consumeKafka([consumer], count: count, limit: .seconds(20))[0]
        messages += try consumeKafka([consumer], count: .max, limit: .milliseconds(500))[0]
        return messages.compactMap { DeadLetter(json: $0.value) }
    }
}
