import Foundation
import SeededRandom
import TSDB
import Testing

@testable import Consumer

/// The test process hosts the mock cluster; `metrics-consumer` children consume from it and
/// are SIGKILLed at random moments. After every kill the store holds, per partition, exactly a
/// prefix of the partition's records, each once, and records where that prefix ends; a final
/// run stopped with SIGTERM (exit 0) leaves every produced record stored exactly once.
@Suite struct ConsumerCrashTests {
    static let rounds = 10
    static let initial = 12_000
    static let perRound = 800

    @Test func sigkillAtRandomMomentsLosesNothingAndDoublesNothing() throws {
        let executable = try #require(ConsumerProcess.path, "build the metrics-consumer executable first (swift build)")
        let cluster = try MockKafkaCluster()
        let suffix = UUID().uuidString.prefix(8)
        // Real time: the child validates against its own clock.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let workload = EndToEndWorkload(
            apiTopic: "api-\(suffix)", metricsTopic: "metrics-\(suffix)", partitions: 3, base: now - 1_800_000, invalidEvery: 0)
        for topic in [workload.apiTopic, workload.metricsTopic] { try cluster.createTopic(topic, partitions: 3) }
        let dir = NSTemporaryDirectory() + "consumer-crash-\(suffix)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["KEEP_CRASH_DIR"] == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let dataDir = dir + "/data"
        func environment(_ group: String) -> [String: String] {
            [
                "KAFKA_BROKERS": cluster.bootstrapServers, "METRICS_TOPIC": workload.metricsTopic, "API_METRICS_TOPIC": workload.apiTopic,
                "KAFKA_GROUP_ID": group, "KAFKA_PROP_session_timeout_ms": "6000", "KAFKA_PROP_heartbeat_interval_ms": "500",
                // The mock broker otherwise holds a fetch 500 ms whenever a partition is at its end.
                "KAFKA_PROP_fetch_wait_max_ms": "10",
                "DATA_DIR": dataDir, "HTTP_LISTEN": "127.0.0.1:0", "BATCH_SIZE": "500",
                "FLUSH_INTERVAL_SEC": "0.2",
            ]
        }

        var records = try workload.produce(0..<Self.initial, bootstrap: cluster.bootstrapServers)
        var rng = EndToEndTestRNG(seed: 7)
        var killedMidIngest = 0
        for round in 0..<Self.rounds {
            let start = Self.initial + round * Self.perRound
            records += try workload.produce(start..<start + Self.perRound, bootstrap: cluster.bootstrapServers)
            let walBefore = ConsumerProcess.walBytes(dataDir)
            // A fresh group per round: no wait for the killed member's session to expire; the
            // store's recorded offsets, not the group's, say where to resume.
            let child = try ConsumerProcess(
                executable: executable, environment: environment("crash-\(suffix)-\(round)"), logPath: dir + "/round-\(round).log")
            if round % 2 == 0 {
                // Kill while batches are landing: soon after the WAL first grows.
                let grew = waitUntil(.seconds(10)) { ConsumerProcess.walBytes(dataDir) > walBefore }
                usleep(UInt32.random(in: 0...150_000, using: &rng))
                if grew { killedMidIngest += 1 }
            } else {
                usleep(UInt32.random(in: 500_000...4_000_000, using: &rng))
            }
            try #require(child.process.isRunning, "round \(round): the consumer exited on its own: \(child.logTail())")
            #expect(child.signal(SIGKILL), "round \(round): SIGKILL did not end the consumer")
            #expect(child.process.terminationReason == .uncaughtSignal)
            try Self.check(dataDir, records, workload, complete: false)
        }
        #expect(killedMidIngest >= Self.rounds / 4, "too few kills landed while batches were being stored")

        // Final run: drain (bounded attempts), then SIGTERM: finish the batch, commit, exit 0.
        let ends = EndToEndWorkload.offsets(records).ends
        var drained = false
        for attempt in 0..<4 where !drained {
            let remaining = try Self.positions(dataDir).reduce(ends.values.reduce(0, +)) { $0 - $1.value }
            let child = try ConsumerProcess(
                executable: executable, environment: environment("crash-\(suffix)-final-\(attempt)"),
                logPath: dir + "/final-\(attempt).log")
            waitUntil(.seconds(30)) { (child.messagesProcessed() ?? -1) >= remaining }
            #expect(child.signal(SIGTERM), "final run \(attempt) did not stop on SIGTERM: \(child.logTail())")
            #expect(child.process.terminationReason == .exit && child.process.terminationStatus == 0, "\(child.logTail())")
            drained = try Self.positions(dataDir) == ends
        }
        #expect(drained, "the final runs did not consume everything")
        try Self.check(dataDir, records, workload, complete: true)
    }

    static func positions(_ dataDir: String) throws -> SourcePositions {
        let store = try Store(directory: dataDir)
        defer { try? store.close() }
        return store.sourcePositions()
    }

    /// Per partition the store holds exactly the first `position` records, each once (all of
    /// them when `complete`), and nothing that was not produced.
    static func check(_ dataDir: String, _ records: [EndToEndRecord], _ workload: EndToEndWorkload, complete: Bool) throws {
        let store = try Store(directory: dataDir)
        defer { try? store.close() }
        let positions = store.sourcePositions()
        let (offsets, ends) = EndToEndWorkload.offsets(records)
        var expected: [EndToEndSample] = []
        for r in records {
            guard let event = r.event, let offset = offsets[r.index] else { continue }
            let key = "\(r.topic)/\(r.partition)"
            if complete { #expect(positions[key] == ends[key], "\(key)") }
            if offset < positions[key] ?? 0 { expected.append(EndToEndSample(event)) }
        }
        for (key, position) in positions where !key.hasPrefix("recording/") {
            #expect(position <= ends[key] ?? -1, "\(key) recorded \(position) past the end")
        }
        // The service also stores its own metrics, alert history and recording-rule outputs.
        let own: Set<String> = ["alerts", "alert_value", "recommendation_quality_score", "system_efficiency_score"]
        let stored = try store.allEndToEndSamples().filter {
            $0.labels.serviceName != "metrics-consumer" && !own.contains($0.labels.metricType)
        }
        #expect(stored.count == expected.count, "stored \(stored.count), expected \(expected.count) for positions \(positions)")
        #expect(stored == expected.sorted())
        #expect(store.verify().isClean)
    }
}

/// SplitMix64, seeded (the shared test generator).
typealias EndToEndTestRNG = SeededRandom
