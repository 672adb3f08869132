import Consumer
import Foundation
import MetricsService
import TSDB
import Workload

/// `--demo`: produces the generated fleet workload into the topics in real time (latency events
/// to API_METRICS_TOPIC, gauges and counters to METRICS_TOPIC, keyed by service), with one
/// malformed message in 500 so the dead-letter path shows.
final class DemoProducer: @unchecked Sendable {
    private let producer: KafkaProducer
    private let config: ConsumerConfig
    private let stopped = NSLock()
    private var isStopped = false
    private var thread: Thread?

    init(config: ConsumerConfig, bootstrapServers: String) throws {
        self.config = config
        producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": bootstrapServers]))
    }

    func start() {
        let t = Thread { [self] in run() }
        t.start()
        thread = t
    }

    func stop() {
        stopped.withLock { isStopped = true }
        try? producer.flush(timeout: .seconds(5))
    }

    private var shouldStop: Bool { stopped.withLock { isStopped } }

    private func run() {
        let start = ServiceClock.nowMs()
        var spec = WorkloadSpec.defaultDay
        spec.start = start
        spec.seed = UInt64(start)
        var generator = WorkloadGenerator(spec)
        var out: [UInt8] = []
        var n = 0
        _ = try? generator.forEachBatch(batchSize: 500) { events in
            if shouldStop { throw CancellationError() }
            for e in events {
                let wait = e.timestamp - ServiceClock.nowMs()
                if wait > 0 { usleep(UInt32(min(wait, 1000)) * 1000) }
                out.removeAll(keepingCapacity: true)
                n += 1
                if n % 500 == 0 {
                    out.append(contentsOf: Array("{\"service\":\"\(e.labels.serviceName)\",\"type\":\"broken\"".utf8))
                } else {
                    EventWriter.appendLine(e, to: &out)
                    out.removeLast()
                }
                let topic = e.labels.metricType.hasSuffix("_ms") ? config.apiMetricsTopic : config.metricsTopic
                try? producer.produce(topic: topic, key: Array(e.labels.serviceName.utf8), value: out)
            }
            producer.poll()
        }
    }
}
