import Foundation
import Logging
import Testing

@testable import Consumer
@testable import MetricsService
@testable import TSDB

/// `ServiceConfiguration` from an environment dictionary: the README's names and defaults, and
/// every invalid value an error naming the variable.
@Suite struct ServiceConfigurationTests {
    @Test func defaultsMatchTheDesign() throws {
        let c = try ServiceConfiguration(environment: [:])
        #expect(c.consumer.kafkaBrokers == nil)
        #expect(c.consumer.topics == ["ingestion_metrics", "api_metrics"])
        #expect(c.consumer.groupID == "metrics_logger" && c.consumer.kafka["group.id"] == "metrics_logger")
        #expect(c.consumer.batchSize == 1000 && c.consumer.flushIntervalSeconds == 10)
        #expect(c.consumer.maxMemoryMB == 512 && c.consumer.deadLettersToKafka)
        #expect(c.redis == nil && c.logLevel == nil && c.alertWebhookURL == nil && c.configPath == nil)
        #expect(c.dataDirectory == "data" && c.http == HTTPSettings(host: "127.0.0.1", port: 9091))
        #expect(c.store.retentionRaw == StoreOptions.day)
        #expect(c.compaction == CompactionSettings(enabled: true, interval: 60_000))
        #expect(c.file == ServiceFileConfig.defaults())
    }

    @Test func environmentOverridesAndPassThrough() throws {
        let c = try ServiceConfiguration(environment: [
            "KAFKA_BROKERS": "127.0.0.1:9092", "METRICS_TOPIC": "m", "API_METRICS_TOPIC": "a", "KAFKA_GROUP_ID": "g",
            "KAFKA_PROP_session_timeout_ms": "6000", "KAFKA_PROP_security_protocol": "SASL_SSL", "BATCH_SIZE": "500",
            "FLUSH_INTERVAL_SEC": "0.5", "REDIS_URL": "redis://:pw@127.0.0.1:6380/2", "REDIS_METRICS_TTL": "120",
            "MAX_REDIS_CONNECTIONS": "7", "RETENTION_RAW": "48h", "RETENTION_1H": "0", "LOG_LEVEL": "debug",
            "HTTP_LISTEN": ":0", "DATA_DIR": "/tmp/d", "DLQ_MODE": "file", "COMPACTION_INTERVAL": "5m",
            "ALERT_WEBHOOK_URL": "http://127.0.0.1:1/hook", "MAX_SERIES": "10", "MAX_HEAD_MB": "2", "BLOCK_DURATION": "1h",
            "OUT_OF_ORDER_WINDOW": "10m", "RETENTION_1M": "3d",
        ])
        #expect(c.consumer.kafkaBrokers == "127.0.0.1:9092" && c.consumer.topics == ["m", "a"] && c.consumer.groupID == "g")
        #expect(c.consumer.kafka["session.timeout.ms"] == "6000" && c.consumer.kafka["security.protocol"] == "SASL_SSL")
        #expect(c.consumer.kafka["bootstrap.servers"] == "127.0.0.1:9092" && c.consumer.kafka["group.id"] == "g")
        #expect(c.consumer.batchSize == 500 && c.consumer.flushIntervalSeconds == 0.5 && !c.consumer.deadLettersToKafka)
        #expect(
            c.redis == RedisSettings(options: RedisOptions(port: 6380, password: "pw", database: 2), metricsTTL: 120, maxConnections: 7))
        #expect(c.logLevel == .debug && c.http == HTTPSettings(host: "127.0.0.1", port: 0) && c.dataDirectory == "/tmp/d")
        #expect(c.store.retentionRaw == 2 * StoreOptions.day && c.store.rollupRetention[StoreOptions.hour] == 0)
        #expect(c.store.rollupRetention[StoreOptions.minute] == 3 * StoreOptions.day)
        #expect(c.store.maxSeries == 10 && c.store.maxHeadBytes == 2 << 20 && c.store.blockDuration == StoreOptions.hour)
        #expect(c.store.outOfOrderWindow == 10 * StoreOptions.minute)
        #expect(c.compaction.interval == 5 * StoreOptions.minute)
        #expect(c.webhook?.url == "http://127.0.0.1:1/hook")
    }

    @Test(arguments: [
        ("BATCH_SIZE", "0"), ("BATCH_SIZE", "ten"), ("FLUSH_INTERVAL_SEC", "-1"), ("REDIS_METRICS_TTL", "0"), ("REDIS_METRICS_TTL", "-5"),
        ("MAX_REDIS_CONNECTIONS", "0"), ("MAX_REDIS_CONNECTIONS", "x"), ("REDIS_URL", "http://x"), ("RETENTION_RAW", "a day"),
        ("MAX_MEMORY_MB", "1"), ("LOG_LEVEL", "loud"), ("HTTP_LISTEN", "9091"), ("DLQ_MODE", "s3"), ("COMPACTION_INTERVAL", "0"),
        ("MAX_SERIES", "-1"), ("ALERT_WEBHOOK_URL", "ftp://x"),
    ])
    func badValuesNameTheVariable(name: String, value: String) {
        #expect(throws: ServiceConfiguration.Invalid.self) { try ServiceConfiguration(environment: [name: value]) }
        do {
            _ = try ServiceConfiguration(environment: [name: value])
        } catch let error as ServiceConfiguration.Invalid {
            #expect(error.variable == name && error.value == value && "\(error)".contains(name))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func configFileFromArgumentsOrEnvironment() throws {
        let path = NSTemporaryDirectory() + "service-config-\(UUID().uuidString).yaml"
        try "kafka:\n  session.timeout.ms: \"7000\"\n  group.id: from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromArgument = try ServiceConfiguration(environment: ["CONFIG_FILE": "/nonexistent"], arguments: ["--config", path])
        #expect(fromArgument.configPath == path && fromArgument.file.slos.isEmpty)
        // The environment's properties win over the file's.
        #expect(fromArgument.consumer.kafka["session.timeout.ms"] == "7000" && fromArgument.consumer.kafka["group.id"] == "metrics_logger")
        #expect(try ServiceConfiguration(environment: ["CONFIG_FILE": path]).configPath == path)
        #expect(throws: ConfigError.self) { try ServiceConfiguration(environment: ["CONFIG_FILE": "/nonexistent"]) }
        #expect(throws: ServiceConfiguration.Invalid.self) { try ServiceConfiguration(environment: [:], arguments: ["--config"]) }
    }
}
