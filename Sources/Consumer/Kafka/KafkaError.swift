/// Errors raised by the Kafka wrappers; messages come from librdkafka's own error strings.
public enum KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// librdkafka rejected a configuration property (unknown name or invalid value).
    case invalidConfig(property: String, reason: String)
    /// A librdkafka call failed; `code` is the raw `rd_kafka_resp_err_t`.
    case operationFailed(operation: String, code: Int32, reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let property, let reason):
            "invalid Kafka property '\(property)': \(reason)"
        case .operationFailed(let operation, let code, let reason):
            "Kafka \(operation) failed (\(code)): \(reason)"
        }
    }
}

/// A non-fatal event seen while polling a consumer (partition EOF is not reported).
public struct KafkaConsumerEvent: Sendable, Equatable, CustomStringConvertible {
    /// Raw `rd_kafka_resp_err_t` code.
    public var code: Int32
    /// librdkafka's description of the error.
    public var reason: String
    /// The partition concerned, when the error is tied to one.
    public var topicPartition: TopicPartition?

    public var description: String {
        "Kafka consumer error \(code)\(topicPartition.map { " on \($0)" } ?? ""): \(reason)"
    }
}

/// A rebalance notification passed to the consumer's rebalance handler.
public enum KafkaRebalance: Sendable, Equatable {
    /// These partitions are being assigned; the handler may return start offsets for them.
    case assigned([TopicPartition])
    /// These partitions are being taken away; flush and commit before returning.
    case revoked([TopicPartition])
}
