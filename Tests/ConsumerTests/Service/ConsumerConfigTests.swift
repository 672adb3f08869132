import Testing

@testable import Consumer
@testable import TSDB

@Suite struct ConsumerConfigTests {
    @Test func defaultsMatchTheDesign() throws {
        let c = try ConsumerConfig.fromEnvironment([:])
        #expect(c.kafkaBrokers == nil)
        #expect(c.topics == ["ingestion_metrics", "api_metrics"])
        #expect(c.groupID == "metrics_logger")
        #expect(c.redisMetricsTTL == 3600 && c.batchSize == 1000 && c.flushIntervalSeconds == 10)
        #expect(c.maxMemoryMB == 512 && c.maxRedisConnections == 20)
        #expect(c.dataDirectory == "data" && c.httpListen == "127.0.0.1:9091")
        #expect(c.store.retentionRaw == StoreOptions.day)
    }

    @Test func environmentOverridesAndPassThrough() throws {
        let c = try ConsumerConfig.fromEnvironment([
            "KAFKA_BROKERS": "127.0.0.1:9092", "METRICS_TOPIC": "m", "API_METRICS_TOPIC": "a", "KAFKA_GROUP_ID": "g",
            "KAFKA_PROP_session_timeout_ms": "6000", "KAFKA_PROP_security_protocol": "SASL_SSL", "BATCH_SIZE": "500",
            "FLUSH_INTERVAL_SEC": "0.5", "REDIS_URL": "redis://:pw@127.0.0.1:6380/2", "RETENTION_RAW": "48h", "RETENTION_1H": "0",
        ])
        #expect(c.kafkaBrokers == "127.0.0.1:9092" && c.topics == ["m", "a"] && c.groupID == "g")
        #expect(c.kafka["session.timeout.ms"] == "6000" && c.kafka["security.protocol"] == "SASL_SSL")
        #expect(c.kafka["bootstrap.servers"] == "127.0.0.1:9092" && c.kafka["group.id"] == "g")
        #expect(c.batchSize == 500 && c.flushIntervalSeconds == 0.5)
        #expect(c.redisURL == "redis://:pw@127.0.0.1:6380/2")
        #expect(c.store.retentionRaw == 2 * StoreOptions.day && c.store.rollupRetention[StoreOptions.hour] == 0)
    }

    @Test(arguments: [
        ("BATCH_SIZE", "0"), ("BATCH_SIZE", "ten"), ("FLUSH_INTERVAL_SEC", "-1"), ("REDIS_METRICS_TTL", "0"),
        ("RETENTION_RAW", "a day"), ("MAX_MEMORY_MB", "1"),
    ])
    func badValuesNameTheVariable(name: String, value: String) {
        #expect(throws: ConsumerConfig.Invalid.self) { try ConsumerConfig.fromEnvironment([name: value]) }
        do {
            _ = try ConsumerConfig.fromEnvironment([name: value])
        } catch {
            #expect(error.variable == name && "\(error)".contains(name))
        }
    }
}
