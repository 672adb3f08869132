import TSDB

/// The service's configuration, read from the environment with the names operators already
/// use (see README). Every value is validated; a bad one is an error naming the variable.
public struct ConsumerConfig: Sendable, Equatable {
    /// nil: start librdkafka's mock cluster in-process (the embedded default).
    public var kafkaBrokers: String?
    public var metricsTopic = "ingestion_metrics"
    public var apiMetricsTopic = "api_metrics"
    public var groupID = "metrics_logger"
    /// librdkafka properties: `KAFKA_PROP_<name>` passed through, `bootstrap.servers` and `group.id`.
    public var kafka = KafkaConfig()
    public var redisURL: String?
    public var redisMetricsTTL = 3600
    public var maxRedisConnections = 20
    public var batchSize = 1000
    public var flushIntervalSeconds = 10.0
    public var maxMemoryMB = 512
    public var alertWebhookURL: String?
    /// Dead letters to the `<topic>.dlq` topics (file fallback), or to the file only (`DLQ_MODE=file`).
    public var deadLettersToKafka = true
    public var dataDirectory = "data"
    public var httpListen = "127.0.0.1:9091"
    public var store = StoreOptions()

    public init() {}

    public var topics: [String] { [metricsTopic, apiMetricsTopic] }

    /// A variable that failed validation.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var variable: String
        public var value: String
        public var expected: String
        public var description: String { "\(variable)=\(value) is invalid: expected \(expected)" }
    }

    /// Reads the configuration from `environment` (a dictionary, so tests need not touch the
    /// process environment).
    public static func fromEnvironment(_ environment: [String: String]) throws(Invalid) -> ConsumerConfig {
        var c = ConsumerConfig()
        func text(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        func int(_ name: String, _ range: ClosedRange<Int>) throws(Invalid) -> Int? {
            guard let v = text(name) else { return nil }
            guard let n = Int(v), range.contains(n) else {
                throw Invalid(variable: name, value: v, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        c.kafkaBrokers = text("KAFKA_BROKERS")
        c.metricsTopic = text("METRICS_TOPIC") ?? c.metricsTopic
        c.apiMetricsTopic = text("API_METRICS_TOPIC") ?? c.apiMetricsTopic
        c.groupID = text("KAFKA_GROUP_ID") ?? c.groupID
        c.redisURL = text("REDIS_URL")
        c.redisMetricsTTL = try int("REDIS_METRICS_TTL", 1...31_536_000) ?? c.redisMetricsTTL
        c.maxRedisConnections = try int("MAX_REDIS_CONNECTIONS", 1...1024) ?? c.maxRedisConnections
        c.batchSize = try int("BATCH_SIZE", 1...1_000_000) ?? c.batchSize
        if let v = text("FLUSH_INTERVAL_SEC") {
            guard let s = Double(v), s > 0, s <= 3600 else {
                throw Invalid(variable: "FLUSH_INTERVAL_SEC", value: v, expected: "seconds in (0, 3600]")
            }
            c.flushIntervalSeconds = s
        }
        c.maxMemoryMB = try int("MAX_MEMORY_MB", 64...1_048_576) ?? c.maxMemoryMB
        c.alertWebhookURL = text("ALERT_WEBHOOK_URL")
        if let v = text("DLQ_MODE") {
            guard v == "kafka" || v == "file" else { throw Invalid(variable: "DLQ_MODE", value: v, expected: "kafka or file") }
            c.deadLettersToKafka = v == "kafka"
        }
        c.dataDirectory = text("DATA_DIR") ?? c.dataDirectory
        c.httpListen = text("HTTP_LISTEN") ?? c.httpListen
        for setting in StoreOptions.settings {
            guard let v = text(setting.variable) else { continue }
            guard setting.apply(v, to: &c.store) else { throw Invalid(variable: setting.variable, value: v, expected: setting.expected) }
        }
        c.kafka = KafkaConfig.fromEnvironment(environment)
        do { try c.store.validate() } catch {
            throw Invalid(variable: "RETENTION_*", value: "", expected: "\(error)")
        }
        return c
    }

    public static func == (a: ConsumerConfig, b: ConsumerConfig) -> Bool {
        a.kafkaBrokers == b.kafkaBrokers && a.topics == b.topics && a.groupID == b.groupID && a.kafka == b.kafka
            && a.redisURL == b.redisURL && a.redisMetricsTTL == b.redisMetricsTTL && a.maxRedisConnections == b.maxRedisConnections
            && a.batchSize == b.batchSize && a.flushIntervalSeconds == b.flushIntervalSeconds && a.maxMemoryMB == b.maxMemoryMB
            && a.alertWebhookURL == b.alertWebhookURL && a.deadLettersToKafka == b.deadLettersToKafka && a.dataDirectory == b.dataDirectory
            && a.httpListen == b.httpListen
            && a.store.retentionRaw == b.store.retentionRaw && a.store.rollupRetention == b.store.rollupRetention
    }
}
