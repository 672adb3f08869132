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

    /// What an event means for the consumer.
    public enum Kind: String, Sendable {
        /// The partition's position was out of range and `auto.offset.reset` moved it.
        case offsetReset = "offset_reset"
        /// A broker connection failed or every broker is down (librdkafka reconnects by itself).
        case brokerUnavailable = "broker_unavailable"
        case other
    }

    /// The kind of this event, from librdkafka's error code.
    public var kind: Kind {
        switch code {
        case -140: .offsetReset  // RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET
        case 1: .offsetReset  // OFFSET_OUT_OF_RANGE
        case -195, -193, -187, -185: .brokerUnavailable  // _TRANSPORT, _RESOLVE, _ALL_BROKERS_DOWN, _TIMED_OUT
        default: .other
        }
    }
}

/// A rebalance notification passed to the consumer's rebalance handler.
public enum KafkaRebalance: Sendable, Equatable {
    /// These partitions are being assigned; the handler may return start offsets for them.
    case assigned([TopicPartition])
    /// These partitions are being taken away; flush and commit before returning.
    case revoked([TopicPartition])
}
