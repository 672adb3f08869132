import Foundation
import Testing

@testable import Consumer

/// Dead letters go to `<topic>.dlq` on a real (mock-cluster) broker; when the broker cannot
/// take them they land in the DLQ file instead, and `flush` returns only once they are durable.
@Suite struct DeadLetterQueueTests {
    static func letters(_ topic: String, _ n: Int) -> [DeadLetter] {
        (0..<n).map { (i: Int) -> DeadLetter in
            let key: [UInt8]? = i == 0 ? nil : Array("k\(i)".utf8)
            let value: [UInt8] = Array("{\"bad\":\(i)".utf8)
            return DeadLetter(
                topic: topic, partition: Int32(i % 2), offset: Int64(i), key: key, value: value, reason: "invalid_json",
                message: "unexpected end at byte \(i)", time: 1_764_420_000_000)
        }
    }

    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "dlq-queue-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func deliversToTheDLQTopicWithReasonHeaders() throws {
        let cluster = try MockKafkaCluster()
        try cluster.createTopic("api.dlq", partitions: 1)
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let queue = DeadLetterQueue(
            file: DeadLetterFileSink(dataDirectory: dir),
            producer: try KafkaProducer(config: KafkaConfig(["bootstrap.servers": cluster.bootstrapServers, "log_level": "3"])))
        let sent = Self.letters("api", 5)
        for l in sent { queue.append(l) }
        try queue.flush()
        #expect(queue.stats == DeadLetterQueue.Stats(toKafka: 5, toFile: 0, fallbacks: 0))

        let consumer = try KafkaConsumer(
            config: KafkaConfig(["bootstrap.servers": cluster.bootstrapServers, "group.id": "dlq-\(UUID().uuidString)", "log_level": "3"]),
            topics: ["api.dlq"])
        defer { try? consumer.close() }
        let messages = try consumeKafka([consumer], count: 5)[0]
        #expect(messages.compactMap { DeadLetter(json: $0.value) } == sent)
        #expect(
            messages.map { $0.header("dlq.reason").map { String(decoding: $0, as: UTF8.self) } }
                == Array(repeating: "invalid_json", count: 5))
        #expect(messages.map(\.key) == sent.map(\.key))
        #expect(!FileManager.default.fileExists(atPath: DeadLetterFileSink(dataDirectory: dir).path(forTopic: "api")))
    }

    @Test func unreachableBrokerFallsBackToTheFile() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let producer = try KafkaProducer(
            config: KafkaConfig(["bootstrap.servers": "127.0.0.1:1", "message.timeout.ms": "500", "log_level": "0"]))
        let queue = DeadLetterQueue(file: DeadLetterFileSink(dataDirectory: dir), producer: producer, deliveryTimeout: .seconds(5))
        let sent = Self.letters("api", 3)
        for l in sent { queue.append(l) }
        try queue.flush()
        let stats = queue.stats
        #expect(stats.toKafka == 0 && stats.toFile == 3 && stats.fallbacks == 1 && stats.lastKafkaError != nil)
        let text = try String(contentsOfFile: DeadLetterFileSink(dataDirectory: dir).path(forTopic: "api"), encoding: .utf8)
        #expect(text.split(separator: "\n").compactMap { DeadLetter(json: Array($0.utf8)) } == sent)
    }

    @Test func fileOnlyQueueAndFailedFileKeepsTheRecords() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let queue = DeadLetterQueue(dataDirectory: dir)
        queue.append(Self.letters("m", 1)[0])
        try queue.flush()
        #expect(queue.stats.toFile == 1)

        let broken = DeadLetterQueue(dataDirectory: "/nonexistent-\(getpid())/data")
        broken.append(Self.letters("m", 1)[0])
        #expect(throws: DeadLetterFileError.self) { try broken.flush() }
        #expect(throws: DeadLetterFileError.self) { try broken.flush() }  // still buffered, still failing
        #expect(broken.stats.toFile == 0)
    }
}
