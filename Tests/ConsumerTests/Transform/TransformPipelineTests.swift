import Foundation
import Testing

@testable import Consumer
@testable import TSDB

/// The transform chain inside the ingest pipeline: dropped and renamed events are stored as
/// configured (and counted, not dead-lettered), aggregator output is stored with a later batch.
@Suite struct TransformPipelineTests {
    static let now: Int64 = 1_764_288_000_000 + 3_600_000

    static func message(_ offset: Int64, type: String, t: Int64, v: Double) -> KafkaMessage {
        KafkaMessage(
            topic: "metrics", partition: 0, offset: offset,
            value: Array("{\"service\":\"api\",\"type\":\"\(type)\",\"value\":\(v),\"timestamp\":\(t)}".utf8))
    }

    @Test func dropRenameAndCountAreApplied() throws {
        let dir = NSTemporaryDirectory() + "transform-pipeline-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(directory: dir + "/store")
        defer { try? store.close() }
        let clock = Clock()
        let pipeline = IngestPipeline(
            store: store, validator: EventValidator(clock: { clock.now }), deadLetters: DeadLetterQueue(dataDirectory: dir),
            transforms: TransformChain(
                specs: [.drop(metric: "debug_gauge", match: [:]), .rename(metric: "old_name", to: "new_name")],
                aggregators: [IngestCountAggregator()]),
            quality: DataQualityReport(config: DataQualityConfig(), startedAt: Self.now), clock: { clock.now })
        let start = Self.now - 120_000
        var messages: [KafkaMessage] = []
        for i in 0..<30 {
            let type = ["debug_gauge", "old_name", "cpu_usage_percent"][i % 3]
            messages.append(Self.message(Int64(i), type: type, t: start + Int64(i) * 1000, v: Double(i)))
        }
        let first = try pipeline.process(messages)
        #expect(first.accepted == 20 + first.derived && first.transformedAway == 10 && first.rejectedCount == 0)
        #expect(store.select([.equal(Labels.metricName, "debug_gauge")]).isEmpty)
        #expect(store.select([.equal(Labels.metricName, "old_name")]).isEmpty)
        #expect(try store.samples(Labels(type: "new_name", service: "api")).count == 10)

        // Two minutes later every minute of the first batch is complete: counted by then.
        clock.now = Self.now + 120_000
        let second = try pipeline.process([Self.message(30, type: "cpu_usage_percent", t: clock.now - 1000, v: 1)])
        #expect(first.derived + second.derived >= 1 && second.accepted == 1 + second.derived)
        let counts = store.select([.equal(Labels.metricName, "ingested_events")])
        let total = try counts.reduce(0.0) { $0 + (try store.samples($1.ref).values.reduce(0, +)) }
        #expect(total == 20, "every stored event of the first batch counted once: \(counts.map(\.labels))")
    }

    final class Clock: @unchecked Sendable {
        var now = TransformPipelineTests.now
    }
}
