import Testing

@testable import Consumer

@Suite struct KafkaConfigTests {
    @Test func environmentMapsPrefixedPropertiesAndDedicatedVariables() {
        let config = KafkaConfig.fromEnvironment([
            "KAFKA_PROP_session_timeout_ms": "6000",
            "KAFKA_PROP_fetch_max_bytes": "1048576",
            "KAFKA_BROKERS": "127.0.0.1:9092",
            "PATH": "/usr/bin",
        ])
        #expect(
            config.properties == [
                "session.timeout.ms": "6000",
                "fetch.max.bytes": "1048576",
                "bootstrap.servers": "127.0.0.1:9092",
                "group.id": KafkaConfig.defaultGroupID,
            ])
        #expect(KafkaConfig.fromEnvironment(["KAFKA_GROUP_ID": "g7"])["group.id"] == "g7")
    }

    @Test(arguments: [
        ("session.timeout.ms", "not-a-number"),
        ("no.such.property", "1"),
        ("auto.offset.reset", "sideways"),
    ])
    func badPropertyIsNamed(property: String, value: String) throws {
        let config = KafkaConfig(["bootstrap.servers": "127.0.0.1:1", property: value])
        #expect(throws: KafkaError.self) { try config.validate() }
        do {
            try config.validate()
        } catch {
            guard case .invalidConfig(let named, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(named == property)
            #expect(!reason.isEmpty)
            #expect(error.description.contains(property))
        }
        do {
            _ = try KafkaConsumer(config: config.merging(["group.id": "g"]), topics: ["t"])
            Issue.record("consumer accepted \(property)=\(value)")
        } catch {
            if case .invalidConfig(let named, _) = error { #expect(named == property) } else { Issue.record("unexpected \(error)") }
        }
    }

    @Test func goodConfigValidatesAndConsumerNeedsGroup() throws {
        try KafkaConfig(["bootstrap.servers": "127.0.0.1:1", "session.timeout.ms": "6000"]).validate()
        #expect(throws: KafkaError.invalidConfig(property: "group.id", reason: "a group consumer needs group.id")) {
            _ = try KafkaConsumer(config: KafkaConfig(["bootstrap.servers": "127.0.0.1:1"]), topics: ["t"])
        }
    }
}
