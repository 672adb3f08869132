import Foundation
import Testing

@testable import Consumer

/// Consumer throughput from the mock cluster. Disabled by default; run in release with
/// `KAFKA_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter KafkaThroughputBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["KAFKA_BENCH"] != nil))
struct KafkaThroughputBenchmark {
    @Test func consumeRate() throws {
        // The mock keeps at most 5 MiB per partition: 6 partitions hold ~100k records of ~150 bytes.
        let total = 100_000
        let cluster = try MockKafkaCluster()
        let topic = "bench"
        try cluster.createTopic(topic, partitions: 6)
        let producer = try KafkaProducer(
            config: KafkaConfig([
                "bootstrap.servers": cluster.bootstrapServers, "linger.ms": "5", "log_level": "3",
            ]))
        let produceStart = ContinuousClock.now
        for index in 0..<total {
            try producer.produce(
                topic: topic, key: KafkaTestBed.key(index), value: KafkaTestBed.value(index),
                headers: [KafkaHeader(name: "service", value: KafkaTestBed.service(index))])
        }
        try producer.flush(timeout: .seconds(60))
        let produceTime = ContinuousClock.now - produceStart
        #expect(producer.deliveredCount == total)

        let consumer = try KafkaConsumer(
            config: KafkaConfig([
                "bootstrap.servers": cluster.bootstrapServers, "group.id": "bench", "log_level": "3",
                "fetch.wait.max.ms": "10",  // else each seek waits out the broker's 500 ms long poll at end of log
            ]), topics: [topic])
        // Round 0 joins the group and warms up; timed rounds seek every partition back to 0,
        // so each one re-fetches the whole topic from the mock broker.
        let rounds = 4
        var bytes = 0
        var timed: Duration = .zero
        for round in 0...rounds {
            if round > 0 {
                for partition in try consumer.assignment() { try consumer.seek(partition, to: 0) }
            }
            let start = ContinuousClock.now
            var received = 0
            let deadline = start + .seconds(60)
            while received < total, ContinuousClock.now < deadline {
                let batch = consumer.poll(maxMessages: 1000, timeout: .milliseconds(100))
                received += batch.count
                for message in batch { bytes &+= message.value.count }
            }
            #expect(received == total)
            if round > 0 { timed += ContinuousClock.now - start }
        }
        try consumer.close()
        let seconds = Double(timed.components.seconds) + Double(timed.components.attoseconds) / 1e18
        let produceSeconds = Double(produceTime.components.seconds) + Double(produceTime.components.attoseconds) / 1e18
        print(
            """
            kafka mock: produced \(total) records in \(String(format: "%.2f", produceSeconds)) s \
            (\(Int(Double(total) / produceSeconds)) msg/s); consumed \(rounds * total) in \
            \(String(format: "%.2f", seconds)) s = \(Int(Double(rounds * total) / seconds)) msg/s, \
            avg value \(bytes / ((rounds + 1) * total)) B
            """)
    }
}
