import Foundation
import LocalRedis
import Logging
import MetricsService
import TSDB

@testable import Consumer

/// The service as `metrics-consumer` builds it (`MetricsServiceBuilder`: store in its own
/// directory, dead letters to the `<topic>.dlq` topics (file fallback), optional Redis mirror
/// with health documents), without alerting and HTTP so the store holds only what was consumed,
/// at a fixed clock; the consumer loop runs on its own thread.
final class ConsumerServiceHarness: @unchecked Sendable {
    let directory: String
    let running: RunningMetricsService
    private let cluster: MockKafkaCluster

    var store: Store { running.store }
    var mirror: RedisMirror? { running.mirror }
    var service: ConsumerService { running.consumer }

    private init(directory: String, running: RunningMetricsService, cluster: MockKafkaCluster) {
        self.directory = directory
        self.running = running
        self.cluster = cluster
    }

    static func make(
        cluster: MockKafkaCluster, workload: EndToEndWorkload, group: String, now: Int64, redis: RedisServer? = nil,
        mirrorCapacity: Int = 50_000, batchSize: Int = 500
    ) async throws -> ConsumerServiceHarness {
        let directory = NSTemporaryDirectory() + "consumer-e2e-\(UUID().uuidString)"
        var configuration = ServiceConfiguration()
        configuration.file = ServiceFileConfig()
        configuration.consumer.kafkaBrokers = cluster.bootstrapServers
        configuration.consumer.metricsTopic = workload.metricsTopic
        configuration.consumer.apiMetricsTopic = workload.apiTopic
        configuration.consumer.groupID = group
        configuration.consumer.batchSize = batchSize
        configuration.consumer.flushIntervalSeconds = 0.2
        configuration.dataDirectory = directory
        configuration.redis = redis.map { RedisSettings(options: $0.options(), metricsTTL: 600, maxConnections: 2) }
        var logger = Logger(label: "consumer-e2e")
        logger.logLevel = .warning
        var builder = MetricsServiceBuilder(configuration: configuration, logger: logger)
        builder.clock = { now }
        builder.kafkaOverrides = [
            "session.timeout.ms": "6000", "heartbeat.interval.ms": "500", "log_level": "3", "fetch.wait.max.ms": "10",
        ]
        builder.mirrorCapacity = mirrorCapacity
        builder.alerting = false
        builder.http = false
        return ConsumerServiceHarness(directory: directory, running: try await builder.build(), cluster: cluster)
    }

    deinit {
        try? running.store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts the poll loop on a new thread.
    func start() { running.start() }

    /// Stops the loop and waits (bounded) for it to return; throws what the loop threw.
    func stop() throws {
        running.stop()
        guard try running.waitForConsumer(timeout: 30) else { throw KafkaTestFailure("the consumer loop did not stop within 30 s") }
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
