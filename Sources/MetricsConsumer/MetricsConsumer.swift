import Consumer
import Dispatch
import Foundation
import Query
import QueryHTTP
import TSDB

#if canImport(Glibc)
    import Glibc
#endif

/// `metrics-consumer`: Kafka in, durable store, Redis mirror, query API. With no
/// `KAFKA_BROKERS` it starts librdkafka's mock cluster in-process; `--demo` produces a fleet
/// workload into it. SIGINT/SIGTERM: finish the batch, commit, close, exit 0.
@main
struct MetricsConsumerMain {
    static func main() async {
        do {
            try await run(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch {
            Log.error("metrics-consumer: \(error)")
            exit(1)
        }
    }

    static func run(arguments: [String]) async throws {
        let demo = arguments.contains("--demo")
        var environment: [String: String] = [:]
        for (k, v) in ProcessEnvironment.all() { environment[k] = v }
        var config = try ConsumerConfig.fromEnvironment(environment)
        var cluster: MockKafkaCluster?
        if config.kafkaBrokers == nil {
            let mock = try MockKafkaCluster(brokers: 1)
            for topic in config.topics {
                try mock.createTopic(topic, partitions: 3)
                try mock.createTopic(DeadLetterQueue.topic(for: topic), partitions: 1)
            }
            config.kafka["bootstrap.servers"] = mock.bootstrapServers
            cluster = mock
            Log.info(
                "embedded Kafka (librdkafka mock cluster) at \(mock.bootstrapServers), topics \(config.topics.joined(separator: ", "))")
        }
        let store = try Store(directory: config.dataDirectory, options: config.store)
        let mirror = try RedisSetup.mirror(config)
        let healthQuery = HealthQuery(store: store)
        // The mirror may queue about an eighth of MAX_MEMORY_MB (~200 B per queued event) before the consumer pauses.
        let stage = mirror.map {
            MirrorStage(
                mirror: $0, store: store, capacity: config.maxMemoryMB * 1024 * 1024 / 8 / 200,
                health: { service, end in
                    (try? healthQuery.summaries(service: service, end: end)).map { PromAPI.healthJSON(service: service, end: end, $0) }
                })
        }
        let pipeline = IngestPipeline(
            store: store, validator: EventValidator(clock: { Clock.nowMs() }),
            deadLetters: DeadLetterQueue(
                file: DeadLetterFileSink(dataDirectory: config.dataDirectory),
                producer: config.deadLettersToKafka ? try KafkaProducer(config: config.kafka.producerConfig()) : nil),
            mirror: stage,
            quality: DataQualityReport(config: DataQualityConfig(), startedAt: Clock.nowMs()), clock: { Clock.nowMs() })
        let service = try ConsumerService(config: config, pipeline: pipeline, kafka: config.kafka)
        let (host, port) = try Listen.parse(config.httpListen)
        let http = try await QueryServer(
            store: store, host: host, port: port, extraRoutes: ServiceEndpoints.routes(service: service, store: store, mirror: stage)
        ).start()
        Log.info("query API on http://\(host):\(http.port)/api/v1/query; /metrics, /health, /api/v1/quality, /api/v1/health/<service>")
        let producer = demo ? try DemoProducer(config: config) : nil
        producer?.start()
        let signals = SignalWatcher { service.stop() }
        let status = StatusLine(service: service, mirror: stage, redisHint: config.redisURL, httpPort: http.port)
        status.start()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                do { try service.run() } catch { Log.error("consumer loop stopped: \(error)") }
                done.resume()
            }
        }
        status.stop()
        producer?.stop()
        signals.cancel()
        await http.shutdown()
        try store.close()
        cluster?.stop()
        let s = service.stats
        Log.info("stopped cleanly: \(s.stored) events stored, \(s.rejected) rejected, offsets recorded in \(config.dataDirectory)")
    }
}
