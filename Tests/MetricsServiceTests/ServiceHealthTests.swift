import Consumer
import Foundation
import Logging
import TSDB
import Testing

@testable import MetricsService

/// Issue 11, item 4: a store that found damage on open says so in `/health` (degraded, with
/// what was quarantined), and still serves what it could keep.
@Suite struct ServiceHealthTests {
    static func build(_ directory: String, cluster: MockKafkaCluster) async throws -> RunningMetricsService {
        var configuration = ServiceConfiguration()
        configuration.file = ServiceFileConfig()
        configuration.consumer.kafkaBrokers = cluster.bootstrapServers
        configuration.dataDirectory = directory
        var logger = Logger(label: "health-test")
        logger.logLevel = .critical
        var builder = MetricsServiceBuilder(configuration: configuration, logger: logger)
        builder.alerting = false
        builder.http = false
        return try await builder.build()
    }

    static func health(_ running: RunningMetricsService) throws -> [String: Any] {
        let text = ServiceEndpoints.health(service: running.consumer, store: running.store, mirror: nil, compactor: running.compactor)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func healthIsOkOnACleanStoreAndDegradedAfterDamage() async throws {
        let directory = NSTemporaryDirectory() + "service-health-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = try MockKafkaCluster()
        let series = Labels(type: "queue_depth", service: "svc")
        do {
            let running = try await Self.build(directory, cluster: cluster)
            let now = SampleLimits.wallClockMs()
            var batch = WriteBatch()
            for i in 0..<10 { batch.append(series, now - 60_000 + Int64(i), Double(i)) }
            _ = try running.store.append(batch)
            try running.store.flush()
            let health = try Self.health(running)
            #expect(health["status"] as? String == "ok")
            #expect(health["storage"] as? String == "ok")
            #expect((health["quarantined"] as? [Any])?.isEmpty == true)
            try running.store.close()
        }
        let checkpoint = directory + "/checkpoint"
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: checkpoint)))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: checkpoint))

        let running = try await Self.build(directory, cluster: cluster)
        let health = try Self.health(running)
        #expect(health["status"] as? String == "degraded")
        #expect(health["storage"] as? String == "damaged")
        #expect(health["quarantined"] as? [String] == [directory + "/quarantine/checkpoint"])
        #expect(try running.store.samples(series).count == 10)
        try running.store.close()
    }
}
