import Foundation

@testable import Consumer

/// A mock cluster with one topic, plus helpers producing and consuming numbered records.
struct KafkaTestBed {
    static let partitions: Int32 = 3
    let cluster: MockKafkaCluster
    let topic: String

    init(brokers: Int32 = 1) throws {
        cluster = try MockKafkaCluster(brokers: brokers)
        topic = "metrics-" + UUID().uuidString.prefix(8)
        try cluster.createTopic(topic, partitions: Self.partitions)
    }

    /// Fast-rejoin settings from the shared notes; a fresh group unless one is given.
    func consumerConfig(group: String = "g-" + UUID().uuidString) -> KafkaConfig {
        KafkaConfig([
            "bootstrap.servers": cluster.bootstrapServers,
            "group.id": group,
            "session.timeout.ms": "6000",
            "heartbeat.interval.ms": "500",
            "log_level": "3",
        ])
    }

    /// Produces records `range` round-robin over the partitions and waits for delivery.
    func produce(_ range: Range<Int>) throws {
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": cluster.bootstrapServers, "log_level": "3"]))
        for index in range {
            try producer.produce(
                topic: topic, partition: Int32(index % Int(Self.partitions)),
                key: Self.key(index), value: Self.value(index),
                headers: [KafkaHeader(name: "service", value: Self.service(index))])
        }
        try producer.flush(timeout: .seconds(20))
        guard producer.deliveredCount == range.count, producer.deliveryFailureCount == 0 else {
            throw KafkaTestFailure("delivered \(producer.deliveredCount) of \(range.count)")
        }
    }

    static func key(_ index: Int) -> [UInt8] { Array("key-\(index)".utf8) }
    static func service(_ index: Int) -> [UInt8] { Array("svc\(index % 5)".utf8) }

    /// ~150 bytes that depend on the index, so a mixed-up value is noticed.
    static func value(_ index: Int) -> [UInt8] {
        let line = "cpu_usage{host=\"h\(index % 17)\",core=\"\(index % 8)\"} \(index).5 \(1_700_000_000_000 + index) "
        return Array((line + String(repeating: "x", count: max(0, 150 - line.utf8.count))).utf8)
    }

    /// The record index encoded in a key, or nil.
    static func index(of message: KafkaMessage) -> Int? {
        message.key.flatMap { Int(String(decoding: $0.dropFirst(4), as: UTF8.self)) }
    }
}

/// Polls `consumers` in turn until `count` records arrived in total or `limit` passes;
/// each batch's next offsets are committed when `commit` is set.
func consumeKafka(
    _ consumers: [KafkaConsumer], count: Int, limit: Duration = .seconds(25),
    batch: Int = 500, commit: Bool = false
) throws -> [[KafkaMessage]] {
    var received = Array(repeating: [KafkaMessage](), count: consumers.count)
    let deadline = ContinuousClock.now + limit
    while received.reduce(0, { $0 + $1.count }) < count, ContinuousClock.now < deadline {
        for (slot, consumer) in consumers.enumerated() {
            let messages = consumer.poll(maxMessages: batch, timeout: .milliseconds(100))
            received[slot] += messages
            if commit { try consumer.commit(offsets: nextOffsets(messages)) }
        }
    }
    return received
}

/// Next offset to read per partition after these records.
func nextOffsets(_ messages: [KafkaMessage]) -> [TopicPartition: Int64] {
    var offsets: [TopicPartition: Int64] = [:]
    for message in messages {
        offsets[message.topicPartition] = max(offsets[message.topicPartition] ?? 0, message.offset + 1)
    }
    return offsets
}

struct KafkaTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
