import Synchronization
import Testing

@testable import Consumer

/// End-to-end tests against librdkafka's in-process mock cluster on loopback.
@Suite struct KafkaConsumerTests {
    /// Checks that `messages` are exactly records `expected`, each once, with intact contents.
    func expectExactly(_ messages: [KafkaMessage], _ expected: some Collection<Int>, topic: String) {
        var seen = Set<Int>()
        for message in messages {
            guard let index = KafkaTestBed.index(of: message) else {
                Issue.record("bad key in \(message.topicPartition)@\(message.offset)")
                continue
            }
            #expect(seen.insert(index).inserted, "record \(index) delivered twice")
            #expect(message.topicPartition == TopicPartition(topic: topic, partition: Int32(index % 3)))
            #expect(message.value == KafkaTestBed.value(index))
            #expect(message.header("service") == KafkaTestBed.service(index))
            #expect(message.timestampMs != nil)
        }
        #expect(seen == Set(expected))
        #expect(messages.count == expected.count)
    }

    @Test func consumesEveryRecordOnce() throws {
        let bed = try KafkaTestBed()
        try bed.produce(0..<2000)
        let consumer = try KafkaConsumer(config: bed.consumerConfig(), topics: [bed.topic])
        var received = try consumeKafka([consumer], count: 2000)[0]
        received += consumer.poll(maxMessages: 100, timeout: .milliseconds(300))  // nothing extra may follow
        expectExactly(received, 0..<2000, topic: bed.topic)
        #expect(consumer.errorCount == 0)
        try consumer.close()
    }

    @Test func rebalanceHandlerOffsetsStartANewGroupWhereTheStoreLeftOff() throws {
        let bed = try KafkaTestBed()
        try bed.produce(0..<900)
        let first = try KafkaConsumer(config: bed.consumerConfig(), topics: [bed.topic])
        var part = try consumeKafka([first], count: 300, batch: 50)[0]
        try first.close()
        let resume = nextOffsets(part)
        let assigned = Mutex<[KafkaRebalance]>([])
        let second = try KafkaConsumer(config: bed.consumerConfig(), topics: [bed.topic]) { event in
            assigned.withLock { $0.append(event) }
            return resume
        }
        let rest = try consumeKafka([second], count: 900 - part.count)[0]
        part += rest
        part += second.poll(maxMessages: 100, timeout: .milliseconds(300))
        expectExactly(part, 0..<900, topic: bed.topic)
        try second.close()
        let all = Set((0..<KafkaTestBed.partitions).map { TopicPartition(topic: bed.topic, partition: $0) })
        let events = assigned.withLock { $0 }
        #expect(events.count == 2)
        if case .assigned(let partitions) = events.first { #expect(Set(partitions) == all) } else { Issue.record("no assign: \(events)") }
        if case .revoked(let partitions) = events.last { #expect(Set(partitions) == all) } else { Issue.record("no revoke: \(events)") }
    }

    @Test func sameGroupResumesFromCommittedOffsets() throws {
        let bed = try KafkaTestBed()
        try bed.produce(0..<900)
        let config = bed.consumerConfig()
        let first = try KafkaConsumer(config: config, topics: [bed.topic])
        var part = try consumeKafka([first], count: 300, batch: 50)[0]
        let offsets = nextOffsets(part)
        try first.commit(offsets: offsets)
        let committed = try first.committed(Array(offsets.keys), timeout: .seconds(5))
        #expect(committed == offsets.mapValues { Optional($0) })
        try first.close()
        let second = try KafkaConsumer(config: config, topics: [bed.topic])
        part += try consumeKafka([second], count: 900 - part.count)[0]
        part += second.poll(maxMessages: 100, timeout: .milliseconds(300))
        expectExactly(part, 0..<900, topic: bed.topic)
        try second.close()
    }

    @Test func twoConsumersInOneGroupSplitThePartitions() throws {
        let bed = try KafkaTestBed()
        let config = bed.consumerConfig()
        let consumers = try (0..<2).map { _ in try KafkaConsumer(config: config, topics: [bed.topic]) }
        // Let the group settle on an empty topic, so no record is read before the split.
        let deadline = ContinuousClock.now + .seconds(25)
        var assignments: [[TopicPartition]] = [[], []]
        while assignments.contains(where: \.isEmpty), ContinuousClock.now < deadline {
            for (slot, consumer) in consumers.enumerated() {
                #expect(consumer.poll(maxMessages: 10, timeout: .milliseconds(100)).isEmpty)
                assignments[slot] = try consumer.assignment()
            }
        }
        #expect(Set(assignments[0]).isDisjoint(with: assignments[1]))
        #expect(assignments[0].count + assignments[1].count == Int(KafkaTestBed.partitions))
        try bed.produce(0..<1500)
        let received = try consumeKafka(consumers, count: 1500, commit: true)
        #expect(!received[0].isEmpty && !received[1].isEmpty)
        for (slot, messages) in received.enumerated() {
            #expect(messages.allSatisfy { assignments[slot].contains($0.topicPartition) })
        }
        expectExactly(received[0] + received[1], 0..<1500, topic: bed.topic)
        for consumer in consumers { try consumer.close() }
    }

    @Test func lagCountsUnreadRecordsAndReachesZero() throws {
        let bed = try KafkaTestBed()
        try bed.produce(0..<600)
        let consumer = try KafkaConsumer(config: bed.consumerConfig(), topics: [bed.topic])
        var received = try consumeKafka([consumer], count: 100, batch: 10)[0]
        #expect(try consumer.lag().values.reduce(0, +) == Int64(600 - received.count))
        received += try consumeKafka([consumer], count: 600 - received.count)[0]
        let lag = try consumer.lag()
        #expect(lag.count == Int(KafkaTestBed.partitions))
        #expect(lag.values.allSatisfy { $0 == 0 })
        // The fetch responses' watermarks give the same answer without a round trip.
        #expect(try consumer.lag(cached: true) == lag)
        expectExactly(received, 0..<600, topic: bed.topic)
        try consumer.close()
    }

    @Test func seekRereadsAndPauseHoldsBackNewRecords() throws {
        let bed = try KafkaTestBed()
        try bed.produce(0..<300)
        let consumer = try KafkaConsumer(config: bed.consumerConfig(), topics: [bed.topic])
        expectExactly(try consumeKafka([consumer], count: 300)[0], 0..<300, topic: bed.topic)
        let zero = TopicPartition(topic: bed.topic, partition: 0)
        try consumer.seek(zero, to: 90)
        // Partition 0 holds records 0, 3, 6, ...: offset 90 is record 270.
        expectExactly(try consumeKafka([consumer], count: 10)[0], Array(stride(from: 270, to: 300, by: 3)), topic: bed.topic)
        let all = try consumer.assignment()
        try consumer.pause(all)
        try bed.produce(300..<360)
        #expect(consumer.poll(maxMessages: 100, timeout: .milliseconds(500)).isEmpty)
        try consumer.resume(all)
        expectExactly(try consumeKafka([consumer], count: 60)[0], 300..<360, topic: bed.topic)
        try consumer.close()
    }
}
