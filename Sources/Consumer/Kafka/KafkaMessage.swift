/// One record header; Kafka allows a header without a value.
public struct KafkaHeader: Hashable, Sendable {
    /// Header name (e.g. `service`).
    public var name: String
    /// Header value bytes, or nil for a null header.
    public var value: [UInt8]?

    /// Creates a header.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}

/// A consumed record, copied out of librdkafka's buffers so it outlives the poll.
public struct KafkaMessage: Hashable, Sendable {
    /// Topic and partition the record came from.
    public var topicPartition: TopicPartition
    /// Offset of this record; commit `offset + 1` to resume after it.
    public var offset: Int64
    /// Record key, or nil when the producer sent none.
    public var key: [UInt8]?
    /// Record value bytes (empty for a null value).
    public var value: [UInt8]
    /// Record headers in wire order.
    public var headers: [KafkaHeader]
    /// Record timestamp in milliseconds since the epoch, or nil when the broker has none.
    public var timestampMs: Int64?

    /// The value of the first header with this name (e.g. the `service` header), or nil.
    public func header(_ name: String) -> [UInt8]? {
        for header in headers where header.name == name { return header.value }
        return nil
    }
}
