import Consumer
import Foundation
import Logging
import Query
import TSDB

/// Everything the service is configured with, read once from the environment and the config
/// file (`--config FILE`, else `CONFIG_FILE`, else the built-in defaults): the consumer loop, the
/// store, the Redis mirror, HTTP, logging, compaction and the file's alerting and ingest sections.
/// Variable names and defaults are the README's table; every invalid value is an `Invalid`
/// naming the variable, the value and what is expected (a bad file: its `ConfigError`).
public struct ServiceConfiguration: Sendable {
    /// Topics, group, librdkafka properties (the file's `kafka` section under the environment's),
    /// batching, MAX_MEMORY_MB, DLQ_MODE.
    public var consumer = ConsumerConfig()
    /// The config file's sections (alerts, anomaly, SLOs, capacity, recording rules, transforms,
    /// validation, quality), or the built-in defaults.
    public var file = ServiceFileConfig.defaults()
    /// The file `file` came from (nil: the built-in defaults); SIGHUP re-reads it.
    public var configPath: String?
    /// REDIS_URL, REDIS_METRICS_TTL, MAX_REDIS_CONNECTIONS; nil: the mirror is off.
    public var redis: RedisSettings?
    /// LOG_LEVEL; nil (unset): the service logs at info and the HTTP server at warning.
    public var logLevel: Logger.Level?
    /// HTTP_LISTEN (port 0: a free port).
    public var http = HTTPSettings()
    /// QUERY_TIMEOUT, QUERY_MAX_SAMPLES, QUERY_MAX_CONCURRENCY: bounds of every query.
    public var queryLimits = QueryLimits()
    /// DATA_DIR.
    public var dataDirectory = "data"
    /// RETENTION_RAW, RETENTION_1M, RETENTION_1H, BLOCK_DURATION, OUT_OF_ORDER_WINDOW, MAX_SERIES, MAX_HEAD_MB.
    public var store = StoreOptions()
    /// COMPACTION_INTERVAL.
    public var compaction = CompactionSettings()
    /// ALERT_WEBHOOK_URL (overrides the file's webhook URL).
    public var alertWebhookURL: String?

    /// The defaults of every setting (no environment, the built-in file defaults).
    public init() {}

    /// A variable (or argument) that failed validation.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var variable: String
        public var value: String
        public var expected: String

        public init(variable: String, value: String, expected: String) {
            self.variable = variable
            self.value = value
            self.expected = expected
        }

        public var description: String { "\(variable)=\(value) is invalid: expected \(expected)" }
    }

    /// Reads `environment` (a dictionary: tests need not touch the process environment) and the
    /// config file `arguments` or `environment` name. Throws `Invalid` or the file's `ConfigError`.
    public init(environment: [String: String], arguments: [String] = []) throws {
        let env = Variables(environment)
        var c = ConsumerConfig()
        c.kafkaBrokers = env.text("KAFKA_BROKERS")
        c.metricsTopic = env.text("METRICS_TOPIC") ?? c.metricsTopic
        c.apiMetricsTopic = env.text("API_METRICS_TOPIC") ?? c.apiMetricsTopic
        c.groupID = env.text("KAFKA_GROUP_ID") ?? c.groupID
        c.batchSize = try env.int("BATCH_SIZE", 1...1_000_000) ?? c.batchSize
        if let v = env.text("FLUSH_INTERVAL_SEC") {
            guard let s = Double(v), s > 0, s <= 3600 else {
                throw Invalid(variable: "FLUSH_INTERVAL_SEC", value: v, expected: "seconds in (0, 3600]")
            }
            c.flushIntervalSeconds = s
        }
        c.maxMemoryMB = try env.int("MAX_MEMORY_MB", 64...1_048_576) ?? c.maxMemoryMB
        if let v = env.text("DLQ_MODE") {
            guard v == "kafka" || v == "file" else { throw Invalid(variable: "DLQ_MODE", value: v, expected: "kafka or file") }
            c.deadLettersToKafka = v == "kafka"
        }
        c.kafka = KafkaConfig.fromEnvironment(environment)
        consumer = c

        if let url = env.text("REDIS_URL") {
            var redis = RedisSettings(options: RedisOptions())
            do { redis.options = RedisOptions(url: try RedisURL(parsing: url)) } catch {
                throw Invalid(variable: "REDIS_URL", value: url, expected: "redis://[:password@]host:port/db (\(error.reason))")
            }
            redis.metricsTTL = try env.int("REDIS_METRICS_TTL", 1...31_536_000) ?? redis.metricsTTL
            redis.maxConnections = try env.int("MAX_REDIS_CONNECTIONS", 1...1024) ?? redis.maxConnections
            self.redis = redis
        } else {
            // Validated even with the mirror off, so a typo shows before Redis is turned on.
            _ = try env.int("REDIS_METRICS_TTL", 1...31_536_000)
            _ = try env.int("MAX_REDIS_CONNECTIONS", 1...1024)
        }
        if let v = env.text("LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: v) else {
                throw Invalid(
                    variable: "LOG_LEVEL", value: v,
                    expected: Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
            logLevel = level
        }
        if let v = env.text("HTTP_LISTEN") {
            guard let listen = HTTPSettings(parsing: v) else {
                throw Invalid(variable: "HTTP_LISTEN", value: v, expected: "host:port, e.g. 127.0.0.1:9091")
            }
            http = listen
        }
        dataDirectory = env.text("DATA_DIR") ?? dataDirectory
        do {
            queryLimits = try QueryLimits(
                timeout: env.text("QUERY_TIMEOUT"), maxSamples: env.text("QUERY_MAX_SAMPLES"),
                maxConcurrency: env.text("QUERY_MAX_CONCURRENCY"))
        } catch {
            throw Invalid(variable: error.setting, value: error.value, expected: error.expected)
        }
        for setting in StoreOptions.settings {
            guard let v = env.text(setting.variable) else { continue }
            guard setting.apply(v, to: &store) else { throw Invalid(variable: setting.variable, value: v, expected: setting.expected) }
        }
        do { try store.validate() } catch {
            throw Invalid(variable: "RETENTION_*", value: "", expected: "\(error)")
        }
        if let v = env.text("COMPACTION_INTERVAL") {
            guard let ms = StoreOptions.parseDuration(v), ms > 0 else {
                throw Invalid(variable: "COMPACTION_INTERVAL", value: v, expected: "a duration such as 30s, 1m, 10m (not 0)")
            }
            compaction.interval = ms
        }
        if let v = env.text("ALERT_WEBHOOK_URL") {
            guard let url = URL(string: v), url.scheme == "http" || url.scheme == "https" else {
                throw Invalid(variable: "ALERT_WEBHOOK_URL", value: v, expected: "an http(s) URL")
            }
            alertWebhookURL = v
        }

        if arguments.last == "--config" { throw Invalid(variable: "--config", value: "", expected: "a file path after --config") }
        if let i = arguments.firstIndex(of: "--config"), i + 1 < arguments.count {
            configPath = arguments[i + 1]
        } else {
            configPath = env.text("CONFIG_FILE")
        }
        if let configPath { file = try ServiceFileConfig.load(path: configPath) }
        for (name, value) in file.kafka where consumer.kafka[name] == nil { consumer.kafka[name] = value }
    }

    /// The webhook alerts go to: the file's, with ALERT_WEBHOOK_URL's URL when set; nil: none.
    public var webhook: WebhookConfig? {
        guard let url = alertWebhookURL else { return file.alerts.webhook }
        var w = file.alerts.webhook ?? WebhookConfig(url: url)
        w.url = url
        return w
    }

    /// One line on where the file configuration came from, for the start-up log.
    public var fileSummary: String {
        guard let configPath else { return "no CONFIG_FILE: built-in defaults (the same as config/metrics.yaml)" }
        return "config \(configPath): \(file.alerts.rules.count) alert rules, \(file.slos.count) SLOs, "
            + "\(file.recordingRules.count) recording rules, \(file.transforms.count) transforms"
    }

    /// Non-empty values of an environment dictionary, validated by type.
    private struct Variables {
        let environment: [String: String]
        init(_ environment: [String: String]) { self.environment = environment }

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
    }
}

/// The Redis mirror's connection and key settings.
public struct RedisSettings: Sendable, Equatable {
    /// REDIS_URL's server, database and credentials (with the mirror's short timeouts).
    public var options: RedisOptions
    /// REDIS_METRICS_TTL: seconds every metrics key lives after its last write.
    public var metricsTTL = RedisMirror.Config.defaultTTLSeconds
    /// MAX_REDIS_CONNECTIONS.
    public var maxConnections = RedisPool.defaultMaxConnections

    public init(
        options: RedisOptions, metricsTTL: Int = RedisMirror.Config.defaultTTLSeconds, maxConnections: Int = RedisPool.defaultMaxConnections
    ) {
        self.options = options
        self.metricsTTL = metricsTTL
        self.maxConnections = maxConnections
    }
}

/// Where the query API listens (HTTP_LISTEN, `host:port`; an empty host is 127.0.0.1).
public struct HTTPSettings: Sendable, Equatable {
    public var host = "127.0.0.1"
    /// 0: a free port (the bound one is `RunningMetricsService.httpPort`).
    public var port = 9091

    public init(host: String = "127.0.0.1", port: Int = 9091) {
        self.host = host
        self.port = port
    }

    /// `host:port`; nil when it is not one.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        let host = String(text[..<colon])
        self.init(host: host.isEmpty ? "127.0.0.1" : host, port: port)
    }
}

/// Background compaction of the store (cut the head, merge blocks, roll up, apply retention).
/// Read here; the TSDB `Compactor` that runs it is started by `RunningMetricsService` (see
/// `// Compactor:` there) once it exists.
public struct CompactionSettings: Sendable, Equatable {
    public var enabled = true
    /// COMPACTION_INTERVAL (ms): how often the compactor runs; default 1 minute.
    public var interval: Int64 = StoreOptions.minute

    public init(enabled: Bool = true, interval: Int64 = StoreOptions.minute) {
        self.enabled = enabled
        self.interval = interval
    }
}
