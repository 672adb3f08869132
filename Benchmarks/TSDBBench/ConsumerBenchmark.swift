import ArgumentParser
import Consumer
import Foundation
import LocalRedis
import Logging
import MetricsService
import TSDB

#if canImport(Glibc)
    import Glibc
#endif

/// `tsdb-bench consumer [--json] [--events N]`: N ~150-byte JSON events are produced into an
/// in-process mock Kafka cluster (not timed); then parse-only throughput (EventDecoder over
/// the same bytes), end-to-end throughput of the ConsumerService into a fresh durable store
/// with the Redis mirror on (a redis-server started here, if on PATH) and off, p99 batch
/// latency (poll to store acknowledgement), Redis commands/s and peak RSS (which includes the
/// in-process mock broker's copy of the log and the benchmark's copy of the bytes).
struct ConsumerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consumer", abstract: "Kafka consumer pipeline benchmark.")

    @Option(help: "Events to produce and consume.")
    var events = 500_000

    @Option(help: "Messages per consumer batch (BATCH_SIZE).")
    var batchSize = 1000

    @Option(help: "Scratch directory (removed afterwards).")
    var workDir = "/tmp/tsdb-bench-consumer"

    @Flag(help: "Skip the run with the Redis mirror.")
    var skipMirror = false

    @Flag(help: "Print a JSON object instead of a table.")
    var json = false

    /// The mock broker keeps at most 5 MiB per partition: 32 partitions hold ~1 M such events.
    static let partitions: Int32 = 32
    static let topic = "api_metrics"

    func run() async throws {
        _ = system("rm -rf '\(workDir)' && mkdir -p '\(workDir)'")
        defer { _ = system("rm -rf '\(workDir)'") }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let payload = ConsumerBenchPayload(count: events, base: now - 1_800_000)
        let cluster = try MockKafkaCluster()
        try cluster.createTopic(Self.topic, partitions: Self.partitions)
        try cluster.createTopic("ingestion_metrics", partitions: 1)
        try payload.produce(topic: Self.topic, bootstrap: cluster.bootstrapServers)

        var figures: [(String, Double, Int, String)] = []
        figures.append(("parse_events_per_sec", payload.parseRate(), 0, "EventDecoder over the same bytes, one thread"))
        figures.append(
            ("consume_only_events_per_sec", try consumeOnly(cluster: cluster), 0, "librdkafka poll loop alone, nothing processed"))
        let redis = skipMirror ? nil : try? RedisServer()
        defer { redis?.stop() }
        let plain = try await endToEnd(cluster: cluster, redis: nil, name: "no-mirror")
        var mirrored = plain
        if let redis { mirrored = try await endToEnd(cluster: cluster, redis: redis, name: "mirror") }
        figures.append(("e2e_events_per_sec", redis == nil ? 0 : mirrored.rate, 0, "Kafka -> durable store + Redis mirror"))
        figures.append(("e2e_events_per_sec_no_mirror", plain.rate, 0, "Kafka -> durable store"))
        figures.append(("batch_p99_ms", mirrored.p99, 2, "poll to store acknowledgement, p99 of batches"))
        figures.append(("redis_commands_per_sec", mirrored.redisCommandsPerSec, 0, "mirror pipeline commands / e2e time"))
        figures.append(("mirror_paused_sec", mirrored.pausedSeconds, 2, "partitions paused waiting for the Redis mirror"))
        figures.append(("fetch_sec", mirrored.fetchSeconds, 2, "consumer thread waiting in poll (mirror run)"))
        figures.append(("processing_sec", mirrored.processingSeconds, 2, "consumer thread decoding, validating, storing (mirror run)"))
        figures.append(("peak_rss_mb", ProcessStats.peakRSSMB(), 1, "whole process, mock broker included"))
        if json {
            print("{" + figures.map { "\"\($0.0)\":\(Self.format($0.1, $0.2))" }.joined(separator: ",") + "}")
        } else {
            print(
                "consumer benchmark: \(events) events of ~\(payload.averageSize) B, batch \(batchSize)\(redis == nil ? " (no redis-server: mirror not measured)" : "")"
            )
            for (k, v, d, help) in figures { print(k.padding(32) + Self.format(v, d).padding(14) + help) }
        }
    }

    struct RunResult {
        var rate = 0.0
        var p99 = 0.0
        var redisCommandsPerSec = 0.0
        var pausedSeconds = 0.0
        var fetchSeconds = 0.0
        var processingSeconds = 0.0
    }

    /// The service as `metrics-consumer` builds it (`MetricsServiceBuilder`: fresh group, fresh
    /// store, Redis mirror on or off; no alerting or HTTP, which would compete for the cores);
    /// timed from the first stored batch (the group join is not counted) to the last.
    func endToEnd(cluster: MockKafkaCluster, redis: RedisServer?, name: String) async throws -> RunResult {
        var builder = Self.builder(cluster: cluster, dataDirectory: workDir + "/" + name, name: name)
        builder.configuration.consumer.batchSize = batchSize
        builder.configuration.redis = redis.map { RedisSettings(options: $0.options(), metricsTTL: 3600, maxConnections: 2) }
        builder.alerting = false
        let running = try await builder.build()
        let service = running.consumer
        let stage = running.mirrorStage
        let mirror = running.mirror
        running.start()
        var first: (time: Double, messages: Int)?
        var last = ProcessStats.now()
        let deadline = ProcessStats.now() + 600
        while ProcessStats.now() < deadline {
            let s = service.stats
            if first == nil && s.messages > 0 { first = (ProcessStats.now(), s.messages) }
            if s.messages >= events {
                stage?.drain(timeout: 60)  // the Redis lists are written too, not just queued
                last = ProcessStats.now()
                break
            }
            usleep(2_000)
        }
        try await running.shutdown()  // the loop finishes its batch and commits first
        let s = service.stats
        guard s.messages >= events, s.stored == events, let first else {
            throw ValidationError("\(name): consumed \(s.messages), stored \(s.stored) of \(events) within 600 s")
        }
        let seconds = max(last - first.time, 1e-9)
        var result = RunResult()
        result.rate = Double(events - first.messages) / seconds
        result.p99 = s.batchLatencyPercentile(0.99) ?? 0
        result.redisCommandsPerSec = mirror.map { Double($0.stats.commandsSent) / seconds } ?? 0
        result.pausedSeconds = s.pausedSeconds
        result.fetchSeconds = s.fetchSeconds
        result.processingSeconds = s.processingSeconds
        return result
    }

    /// The service builder the benchmarks run: the embedded cluster's `api_metrics` topic, a fresh
    /// group, built-in defaults, dead letters to a file, no HTTP, warnings only.
    static func builder(cluster: MockKafkaCluster, dataDirectory: String, name: String) -> MetricsServiceBuilder {
        var configuration = ServiceConfiguration()
        configuration.file = ServiceFileConfig()
        configuration.consumer.kafkaBrokers = cluster.bootstrapServers
        configuration.consumer.apiMetricsTopic = Self.topic
        configuration.consumer.groupID = "bench-\(name)-\(UUID().uuidString)"
        configuration.consumer.flushIntervalSeconds = 0.2
        configuration.consumer.deadLettersToKafka = false
        configuration.dataDirectory = dataDirectory
        var logger = Logger(label: "tsdb-bench.\(name)")
        logger.logLevel = .warning
        var builder = MetricsServiceBuilder(configuration: configuration, logger: logger)
        builder.kafkaOverrides = Self.kafkaConfig(cluster, group: configuration.consumer.groupID).properties
        builder.http = false
        return builder
    }

    /// The ceiling librdkafka and the mock broker set: a group consumer that only polls.
    func consumeOnly(cluster: MockKafkaCluster) throws -> Double {
        // With the service's fetch settings, so this is the ceiling the service works under.
        let config = Self.kafkaConfig(cluster, group: "bench-poll-\(UUID().uuidString)").merging(
            ConsumerService.fetchDefaults(maxMemoryMB: ConsumerConfig().maxMemoryMB))
        let consumer = try KafkaConsumer(config: config, topics: [Self.topic])
        defer { try? consumer.close() }
        var received = 0
        var start = 0.0
        let deadline = ProcessStats.now() + 300
        while received < events && ProcessStats.now() < deadline {
            let n = consumer.poll(maxMessages: batchSize, timeout: .milliseconds(100)).count
            if received == 0 && n > 0 { start = ProcessStats.now() }
            received += n
        }
        guard received >= events else { throw ValidationError("consume-only: received \(received) of \(events) within 300 s") }
        return Double(events) / max(ProcessStats.now() - start, 1e-9)
    }

    /// Consumer properties of every run: the mock broker otherwise holds a fetch 500 ms at a partition's end.
    static func kafkaConfig(_ cluster: MockKafkaCluster, group: String) -> KafkaConfig {
        KafkaConfig(["bootstrap.servers": cluster.bootstrapServers, "group.id": group, "log_level": "3", "fetch.wait.max.ms": "10"])
    }

    static func format(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return "0" }
        return decimals == 0 ? String(Int64(v.rounded())) : String(format: "%.\(decimals)f", v)
    }
}

/// The benchmark's events: one flat buffer of JSON event lines (20 services x 10 endpoints,
/// timestamps `base + i` ms) and each message's end offset in it.
struct ConsumerBenchPayload {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []

    init(count: Int, base: Int64) {
        bytes.reserveCapacity(count * 160)
        ends.reserveCapacity(count)
        for i in 0..<count {
            let latency = Double((i &* 2_654_435_761) % 250_000) / 100
            let line =
                "{\"service\":\"service-\(i % 20)\",\"type\":\"api_latency_ms\",\"value\":\(latency),\"timestamp\":\(base + Int64(i)),"
                + "\"tags\":{\"endpoint\":\"/api/v1/res-\(i % 10)\",\"status\":\"200\"}}"
            bytes.append(contentsOf: line.utf8)
            ends.append(bytes.count)
        }
    }

    var averageSize: Int { ends.isEmpty ? 0 : bytes.count / ends.count }

    func message(_ i: Int) -> ArraySlice<UInt8> { bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]] }

    /// Produces every message round-robin over the partitions and waits for delivery.
    func produce(topic: String, bootstrap: String) throws {
        let producer = try KafkaProducer(
            config: KafkaConfig(["bootstrap.servers": bootstrap, "linger.ms": "50", "batch.num.messages": "10000", "log_level": "3"]))
        for i in ends.indices {
            try producer.produce(
                topic: topic, partition: Int32(i % Int(ConsumerBenchmark.partitions)), key: nil, value: Array(message(i)))
            if i % 10_000 == 0 { producer.poll() }
        }
        try producer.flush(timeout: .seconds(120))
        guard producer.deliveredCount == ends.count else {
            throw ValidationError("produced \(producer.deliveredCount) of \(ends.count) events")
        }
    }

    /// Events per second of `EventDecoder` over the messages (best of three passes).
    func parseRate() -> Double {
        let decoder = EventDecoder()
        var decoded = DecodedMessage()
        var best = 0.0
        for _ in 0..<3 {
            var parsed = 0
            let start = ProcessStats.now()
            bytes.withUnsafeBytes { all in
                var from = 0
                for end in ends {
                    let value = UnsafeRawBufferPointer(rebasing: all[from..<end])
                    decoder.decode(value, key: nil, headers: [], topic: ConsumerBenchmark.topic, ingestTime: 0, into: &decoded)
                    parsed += decoded.events.count
                    from = end
                }
            }
            let seconds = ProcessStats.now() - start
            precondition(parsed == ends.count, "the benchmark's own events must all parse")
            best = max(best, Double(parsed) / max(seconds, 1e-9))
        }
        return best
    }
}
