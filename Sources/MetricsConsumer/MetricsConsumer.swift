import Alerting
import Consumer
import Dispatch
import Foundation
import MetricsService
import Query
import QueryHTTP
import TSDB

#if canImport(Glibc)
    import Glibc
#endif

/// `metrics-consumer [--demo] [--config FILE]`: Kafka in, durable store, Redis mirror, query
/// API, alerting. With no `KAFKA_BROKERS` it starts librdkafka's mock cluster in-process;
/// `--demo` produces a fleet workload into it. SIGINT/SIGTERM: finish the batch, commit, close, exit 0.
@main
struct MetricsConsumerMain {
    static func main() async {
        do {
            try await run(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch {
            ServiceLog.error("metrics-consumer: \(error)")
            exit(1)
        }
    }

    static func run(arguments: [String]) async throws {
        let demo = arguments.contains("--demo")
        let environment = ProcessInfo.processInfo.environment
        var config = try ConsumerConfig.fromEnvironment(environment)
        let file = try loadConfigFile(arguments: arguments, environment: environment)
        for (name, value) in file.kafka where config.kafka[name] == nil { config.kafka[name] = value }
        var cluster: MockKafkaCluster?
        if config.kafkaBrokers == nil {
            let mock = try MockKafkaCluster(brokers: 1)
            for topic in config.topics {
                try mock.createTopic(topic, partitions: 3)
                try mock.createTopic(DeadLetterQueue.topic(for: topic), partitions: 1)
            }
            config.kafka["bootstrap.servers"] = mock.bootstrapServers
            cluster = mock
            ServiceLog.info(
                "embedded Kafka (librdkafka mock cluster) at \(mock.bootstrapServers), topics \(config.topics.joined(separator: ", "))")
        }
        try await serve(config: config, file: file, configPath: configFilePath(arguments: arguments, environment: environment), demo: demo)
        // Everything is flushed, fsynced and committed: exit now, with the embedded cluster still
        // up, rather than tear it down under librdkafka clients that would log their disconnects.
        withExtendedLifetime(cluster) { exit(0) }
    }

    static func serve(config: ConsumerConfig, file: ServiceFileConfig, configPath: String?, demo: Bool) async throws {
        let clock: @Sendable () -> Int64 = { ServiceClock.nowMs() }
        let store = try Store(directory: config.dataDirectory, options: config.store)
        let redis = try RedisSetup.mirror(config)
        let targets = file.health
        let pipelineBox = PipelineBox()
        // The mirror may queue about an eighth of MAX_MEMORY_MB (~200 B per queued event) before the consumer pauses.
        let stage = redis.map {
            MirrorStage(
                mirror: $0, store: store, capacity: config.maxMemoryMB * 1024 * 1024 / 8 / 200,
                health: PromAPI.healthDocuments(store: store, targets: targets),
                quality: { pipelineBox.pipeline?.quality.json(now: clock()) ?? [] })
        }
        let pipeline = IngestPipeline(
            store: store, validator: EventValidator(config: file.validation, clock: clock),
            deadLetters: DeadLetterQueue(
                file: DeadLetterFileSink(dataDirectory: config.dataDirectory),
                producer: config.deadLettersToKafka ? try KafkaProducer(config: config.kafka.producerConfig()) : nil),
            mirror: stage, transforms: TransformChain(specs: file.transforms, aggregators: file.aggregators.map { $0.makeAggregator() }),
            quality: DataQualityReport(config: DataQualityConfig(expectedServices: file.expectedServices), startedAt: clock()),
            clock: clock)
        pipelineBox.pipeline = pipeline
        let service = try ConsumerService(config: config, pipeline: pipeline, kafka: config.kafka)
        service.log = { ServiceLog.warning($0) }
        let alerting = AlertingService(
            store: store, config: file, notifiers: try notifiers(config: config, file: file, store: store, redis: redis), clock: clock,
            selfMetrics: { ServiceMetrics.collect(service: service, store: store, mirror: stage) })
        let (host, port) = try Listen.parse(config.httpListen)
        let http = try await QueryServer(
            store: store, host: host, port: port,
            extraRoutes: ServiceEndpoints.routes(service: service, store: store, mirror: stage, alerting: alerting, clock: clock),
            healthTargets: targets
        ).start()
        ServiceLog.info(
            "query API on http://\(host):\(http.port)/api/v1/query; /metrics, /health, /api/v1/quality, /api/v1/health/<service>, /api/v1/alerts, /api/v1/slo, /api/v1/capacity"
        )
        let producer = demo ? try DemoProducer(config: config) : nil
        producer?.start()
        alerting.start()
        let signals = SignalWatcher(
            onStop: { service.stop() },
            onReload: {
                guard let configPath else { return ServiceLog.info("SIGHUP: no config file to reload (built-in defaults)") }
                do {
                    alerting.reload(try ServiceFileConfig.load(path: configPath))
                    ServiceLog.info("SIGHUP: reloaded \(configPath) (alert rules, anomaly, SLOs, capacity, recording rules)")
                } catch {
                    ServiceLog.error("SIGHUP: \(error); the previous configuration stays in force")
                }
            })
        let status = StatusLine(
            service: service, mirror: stage, redisPort: try config.redisURL.map { try RedisURL(parsing: $0).port }, httpPort: http.port)
        status.start()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                do { try service.run() } catch { ServiceLog.error("consumer loop stopped: \(error)") }
                done.resume()
            }
        }
        status.stop()
        producer?.stop()
        signals.cancel()
        await alerting.stop()
        await http.shutdown()
        try store.close()
        let s = service.stats
        ServiceLog.info("stopped cleanly: \(s.stored) events stored, \(s.rejected) rejected, offsets recorded in \(config.dataDirectory)")
    }

    /// `--config FILE`, else `CONFIG_FILE`; nil: the built-in defaults.
    static func configFilePath(arguments: [String], environment: [String: String]) -> String? {
        if let i = arguments.firstIndex(of: "--config"), i + 1 < arguments.count { return arguments[i + 1] }
        return environment["CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `--config FILE`, else `CONFIG_FILE`, else the built-in defaults (= config/metrics.yaml).
    static func loadConfigFile(arguments: [String], environment: [String: String]) throws -> ServiceFileConfig {
        if arguments.last == "--config" { throw UsageError(description: "--config needs a file path") }
        guard let path = configFilePath(arguments: arguments, environment: environment) else {
            ServiceLog.info("no CONFIG_FILE: built-in defaults (the same as config/metrics.yaml)")
            return ServiceFileConfig.defaults()
        }
        let file = try ServiceFileConfig.load(path: path)
        ServiceLog.info(
            "config \(path): \(file.alerts.rules.count) alert rules, \(file.slos.count) SLOs, \(file.recordingRules.count) recording rules, \(file.transforms.count) transforms"
        )
        return file
    }

    /// Webhook (ALERT_WEBHOOK_URL, else the config file's), the Redis list, the store.
    static func notifiers(config: ConsumerConfig, file: ServiceFileConfig, store: Store, redis: RedisMirror?) throws -> [any AlertNotifier]
    {
        var out: [any AlertNotifier] = [StoreAlertNotifier(store: store)]
        if let redis { out.append(RedisAlertNotifier(mirror: redis, length: file.alerts.redisListLength)) }
        var webhook = file.alerts.webhook
        if let url = config.alertWebhookURL {
            var w = webhook ?? WebhookConfig(url: url)
            w.url = url
            webhook = w
        }
        if let webhook {
            guard let url = URL(string: webhook.url), url.scheme == "http" || url.scheme == "https" else {
                throw UsageError(description: "ALERT_WEBHOOK_URL=\(webhook.url) is invalid: expected an http(s) URL")
            }
            let log = DeliveryLog(path: config.dataDirectory + "/alerts-delivery.jsonl")
            out.append(
                WebhookNotifier(
                    url: url, timeout: webhook.timeout, retry: RetryPolicy(attempts: webhook.attempts, baseDelay: webhook.backoff), log: log
                ))
            ServiceLog.info("alerts to webhook \(webhook.url) (delivery log \(config.dataDirectory)/alerts-delivery.jsonl)")
        }
        return out
    }
}

struct UsageError: Error, CustomStringConvertible { var description: String }

/// Lets the mirror stage, created before the pipeline, read the pipeline's quality report.
final class PipelineBox: @unchecked Sendable {
    var pipeline: IngestPipeline?
}
