/// librdkafka configuration properties (`bootstrap.servers`, `group.id`, ...), validated when a client is created.
public struct KafkaConfig: Sendable, Equatable {
    /// Group id used when `KAFKA_GROUP_ID` is not set.
    public static let defaultGroupID = "metrics_logger"
    /// Environment prefix for raw properties: `KAFKA_PROP_session_timeout_ms` sets `session.timeout.ms`.
    public static let propertyPrefix = "KAFKA_PROP_"

    /// Raw property name to value.
    public var properties: [String: String]

    /// Creates a configuration from raw properties.
    public init(_ properties: [String: String] = [:]) {
        self.properties = properties
    }

    /// Reads or writes one property.
    public subscript(name: String) -> String? {
        get { properties[name] }
        set { properties[name] = newValue }
    }

    /// Builds a configuration from `KAFKA_BROKERS`, `KAFKA_GROUP_ID` and `KAFKA_PROP_<name>` variables.
    ///
    /// In `<name>` underscores stand for dots, so `KAFKA_PROP_session_timeout_ms=6000` sets
    /// `session.timeout.ms`. The dedicated variables win over the same property given raw.
    public static func fromEnvironment(_ environment: [String: String]) -> KafkaConfig {
        var config = KafkaConfig()
        for (key, value) in environment where key.hasPrefix(propertyPrefix) {
            let name = String(key.dropFirst(propertyPrefix.count).map { $0 == "_" ? "." : $0 })
            if !name.isEmpty { config[name] = value }
        }
        if let brokers = environment["KAFKA_BROKERS"] { config["bootstrap.servers"] = brokers }
        config["group.id"] = environment["KAFKA_GROUP_ID"] ?? config["group.id"] ?? defaultGroupID
        return config
    }

    /// Checks every property against librdkafka without creating a client.
    public func validate() throws(KafkaError) {
        try RdKafka.validate(self)
    }

    /// Consumer-only properties, left out of `producerConfig()` (librdkafka warns about them otherwise).
    static let consumerOnlyPrefixes = [
        "group.", "auto.offset.reset", "enable.auto.", "auto.commit.", "session.timeout.ms", "heartbeat.interval.ms", "queued.",
        "fetch.", "max.poll.interval.ms", "partition.assignment.strategy", "isolation.level", "max.partition.fetch.bytes",
        "check.crcs", "allow.auto.create.topics", "enable.partition.eof", "consume.callback.max.messages",
    ]

    /// The same cluster and security settings for a producer (e.g. the dead-letter producer):
    /// consumer-only properties dropped, deliveries acknowledged by all in-sync replicas, and a
    /// bounded delivery timeout unless set.
    public func producerConfig() -> KafkaConfig {
        var out = KafkaConfig(properties.filter { p in !Self.consumerOnlyPrefixes.contains { p.key.hasPrefix($0) } })
        if out["acks"] == nil { out["acks"] = "all" }
        if out["message.timeout.ms"] == nil { out["message.timeout.ms"] = "10000" }
        return out
    }

    /// This configuration with `overrides` applied on top.
    public func merging(_ overrides: [String: String]) -> KafkaConfig {
        KafkaConfig(properties.merging(overrides) { _, new in new })
    }
}
