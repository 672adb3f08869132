import Alerting
import Consumer
import Foundation
import Logging
import Query
import QueryHTTP
import TSDB

/// Builds the whole service from one `ServiceConfiguration`: the store, the Redis mirror and its
/// stage, the ingest pipeline with its dead-letter queue, the Kafka consumer, alerting (rules,
/// anomalies, SLOs, recording rules, self-monitoring, notifiers) and the HTTP API with the
/// service's endpoints. `metrics-consumer`, the end-to-end tests and the consumer benchmark all
/// build it here; what they vary is below.
public struct MetricsServiceBuilder: Sendable {
    public var configuration: ServiceConfiguration
    /// The service's logger; the consumer, the mirror stage and the HTTP server log through it
    /// (the HTTP server at warning unless LOG_LEVEL is set).
    public var logger: Logger
    /// Epoch milliseconds: validation, the quality report, alerting, health documents.
    public var clock: @Sendable () -> Int64 = { ServiceClock.nowMs() }
    /// librdkafka properties set over the configuration's, for the consumer and the dead-letter
    /// producer (e.g. `bootstrap.servers` of an embedded mock cluster).
    public var kafkaOverrides: [String: String] = [:]
    /// Events the Redis mirror may queue before the consumer pauses its partitions; nil: an
    /// eighth of MAX_MEMORY_MB at ~200 B per queued event.
    public var mirrorCapacity: Int?
    /// Run alerting (which also writes alerts and the service's own metrics into the store).
    public var alerting = true
    /// Serve the HTTP API on `configuration.http`.
    public var http = true

    public init(configuration: ServiceConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens the store and builds every part; the HTTP API is listening when this returns,
    /// nothing else runs until `RunningMetricsService.start()`. On failure what was opened is closed.
    public func build() async throws -> RunningMetricsService {
        let c = configuration
        let clock = self.clock
        logger.info("\(c.fileSummary)")
        // The service's data arrives in real time: retention counts back from its clock.
        var storeOptions = c.store
        storeOptions.retentionClock = .wallClock
        storeOptions.clock = clock
        let store = try Store(directory: c.dataDirectory, options: storeOptions)
        let compactor = c.compaction.enabled ? Compactor(store: store, interval: c.compaction.interval, logger: logger) : nil
        var stage: MirrorStage?
        do {
            let mirror = redisMirror()
            let pipelineBox = PipelineBox()
            stage = mirror.map {
                MirrorStage(
                    mirror: $0, store: store, capacity: mirrorCapacity ?? c.consumer.maxMemoryMB * 1024 * 1024 / 8 / 200,
                    health: HealthQuery.documents(store: store, targets: c.file.health),
                    quality: { pipelineBox.pipeline?.quality.json(now: clock()) ?? [] }, logger: logger)
            }
            let kafka = kafkaConfig()
            let pipeline = IngestPipeline(
                store: store, validator: EventValidator(config: c.file.validation, clock: clock),
                deadLetters: DeadLetterQueue(
                    file: DeadLetterFileSink(dataDirectory: c.dataDirectory),
                    producer: c.consumer.deadLettersToKafka ? try KafkaProducer(config: kafka.producerConfig()) : nil),
                mirror: stage,
                transforms: TransformChain(specs: c.file.transforms, aggregators: c.file.aggregators.map { $0.makeAggregator() }),
                quality: DataQualityReport(config: DataQualityConfig(expectedServices: c.file.expectedServices), startedAt: clock()),
                clock: clock)
            pipelineBox.pipeline = pipeline
            let consumer = try ConsumerService(config: c.consumer, pipeline: pipeline, kafka: kafka, logger: logger)
            let alerting =
                self.alerting
                ? AlertingService(
                    store: store, config: c.file, notifiers: try notifiers(store: store, redis: mirror), clock: clock,
                    selfMetrics: { [stage] in
                        ServiceMetrics.collect(
                            service: consumer, store: store, mirror: stage,
                            extra: CompactorMetrics.families(compactor: compactor, store: store))
                    })
                : nil
            var server: RunningQueryServer?
            if http {
                var httpLogger = Logger(label: "tsdb.query-http")
                httpLogger.logLevel = c.logLevel ?? .warning
                server = try await QueryServer(
                    store: store, host: c.http.host, port: c.http.port,
                    extraRoutes: ServiceEndpoints.routes(
                        service: consumer, store: store, mirror: stage, alerting: alerting, compactor: compactor, clock: clock),
                    healthTargets: c.file.health, limits: c.queryLimits, logger: httpLogger
                ).start()
                logger.info(
                    "query API on http://\(c.http.host):\(server?.port ?? 0)/api/v1/query; /metrics, /health, /api/v1/quality, /api/v1/health/<service>, /api/v1/alerts, /api/v1/slo, /api/v1/capacity"
                )
            }
            return RunningMetricsService(
                configuration: c, logger: logger, store: store, mirrorStage: stage, pipeline: pipeline, consumer: consumer,
                alerting: alerting, http: server, compactor: compactor)
        } catch {
            stage?.close(timeout: 1)
            try? store.close()
            throw error
        }
    }

    /// The configuration's librdkafka properties, `bootstrap.servers` and `group.id` filled in
    /// from KAFKA_BROKERS and KAFKA_GROUP_ID when missing, with `kafkaOverrides` on top.
    public func kafkaConfig() -> KafkaConfig {
        var kafka = configuration.consumer.kafka
        if kafka["bootstrap.servers"] == nil, let brokers = configuration.consumer.kafkaBrokers { kafka["bootstrap.servers"] = brokers }
        if kafka["group.id"] == nil { kafka["group.id"] = configuration.consumer.groupID }
        return kafka.merging(kafkaOverrides)
    }

    /// The mirror when Redis is configured; none otherwise (the store alone is the truth).
    func redisMirror() -> RedisMirror? {
        guard let redis = configuration.redis else {
            logger.info("REDIS_URL not set: the Redis mirror is off")
            return nil
        }
        let o = redis.options
        logger.info("mirroring to Redis at \(o.endpoint) db \(o.database)")
        return RedisMirror(
            pool: RedisPool(options: o, maxConnections: redis.maxConnections), config: .init(ttlSeconds: redis.metricsTTL))
    }

    /// The store, the Redis list and the webhook (ALERT_WEBHOOK_URL, else the config file's).
    func notifiers(store: Store, redis: RedisMirror?) throws -> [any AlertNotifier] {
        var out: [any AlertNotifier] = [StoreAlertNotifier(store: store)]
        if let redis { out.append(RedisAlertNotifier(mirror: redis, length: configuration.file.alerts.redisListLength)) }
        guard let webhook = configuration.webhook else { return out }
        guard let url = URL(string: webhook.url), url.scheme == "http" || url.scheme == "https" else {
            throw ServiceConfiguration.Invalid(variable: "alerts.webhook.url", value: webhook.url, expected: "an http(s) URL")
        }
        let path = configuration.dataDirectory + "/alerts-delivery.jsonl"
        out.append(
            WebhookNotifier(
                url: url, timeout: webhook.timeout, retry: RetryPolicy(attempts: webhook.attempts, baseDelay: webhook.backoff),
                log: DeliveryLog(path: path)))
        logger.info("alerts to webhook \(webhook.url) (delivery log \(path))")
        return out
    }
}

/// Lets the mirror stage, created before the pipeline, read the pipeline's quality report.
private final class PipelineBox: @unchecked Sendable {
    var pipeline: IngestPipeline?
}
