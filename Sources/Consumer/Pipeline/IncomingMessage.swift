extension TopicPartition {
    public init(_ topic: String, _ partition: Int32) { self.init(topic: topic, partition: partition) }

    /// The partition's key in the store's source positions: `topic/partition`.
    public var sourceKey: String { "\(topic)/\(partition)" }
}

extension KafkaMessage {
    /// A message built in memory (tests, the demo producer's loopback).
    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]? = nil, value: [UInt8], headers: [KafkaHeader] = []) {
        self.init(
            topicPartition: TopicPartition(topic: topic, partition: partition), offset: offset, key: key, value: value, headers: headers,
            timestampMs: nil)
    }
}
