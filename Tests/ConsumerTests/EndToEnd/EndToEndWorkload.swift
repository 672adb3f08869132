import Foundation
import TSDB

@testable import Consumer

/// One produced Kafka record of the end-to-end tests and what the consumer must make of it.
struct EndToEndRecord {
    var index: Int
    var topic: String
    var partition: Int32
    var key: [UInt8]?
    var value: [UInt8]
    /// The event the store must hold (nil: the record must be dead-lettered).
    var event: MetricEvent?
    /// The dead-letter reason when `event` is nil.
    var reason: String?
}

/// A deterministic mix of JSON events and line-protocol lines, valid and invalid. Record `i`
/// carries timestamp `base + i` ms, so every stored sample names the record it came from.
struct EndToEndWorkload {
    let apiTopic: String
    let metricsTopic: String
    let partitions: Int32
    let base: Int64
    /// Every `invalidEvery`-th record is broken in one of four ways (0: none).
    let invalidEvery: Int

    /// A workload on two fresh topics of `cluster` (random names), with their `<topic>.dlq`
    /// topics when `deadLetterTopics`.
    static func onFreshTopics(
        _ cluster: MockKafkaCluster, partitions: Int32 = 3, base: Int64, invalidEvery: Int, deadLetterTopics: Bool = false
    ) throws -> EndToEndWorkload {
        let suffix = UUID().uuidString.prefix(8)
        let workload = EndToEndWorkload(
            apiTopic: "api-\(suffix)", metricsTopic: "metrics-\(suffix)", partitions: partitions, base: base, invalidEvery: invalidEvery)
        for topic in [workload.apiTopic, workload.metricsTopic] {
            try cluster.createTopic(topic, partitions: partitions)
            if deadLetterTopics { try cluster.createTopic(DeadLetterQueue.topic(for: topic), partitions: 1) }
        }
        return workload
    }

    func record(_ i: Int) -> EndToEndRecord {
        let t = base + Int64(i)
        let partition = Int32((i / 7) % Int(partitions))
        if invalidEvery > 0 && i % invalidEvery == invalidEvery - 1 {
            switch (i / invalidEvery) % 4 {
            case 0:
                return invalid(i, apiTopic, partition, "{\"service\":\"svc\",\"type\":\"api_latency_ms\",\"value\":", "invalid_json")
            case 1:
                let json = "{\"service\":\"svc1\",\"type\":\"api_latency_ms\",\"value\":-\(i),\"timestamp\":\(t),\"tags\":{}}"
                return invalid(i, apiTopic, partition, json, "out_of_range")
            case 2:
                return invalid(i, metricsTopic, partition, "cpu,service=worker", "line_protocol")
            default:
                return invalid(i, metricsTopic, partition, "cpu,service=worker,host=h1 usage_percent=150 \(t * 1_000_000)", "out_of_range")
            }
        }
        switch i % 5 {
        case 0, 1:
            let service = "svc\(i % 2)"
            let endpoint = "/e\(i % 2)"
            let value = Double(i % 997) + 0.25
            let json =
                "{\"service\":\"\(service)\",\"type\":\"api_latency_ms\",\"value\":\(value),\"timestamp\":\(t),"
                + "\"tags\":{\"endpoint\":\"\(endpoint)\",\"pad\":\"\(String(repeating: "p", count: 20))\"}}"
            let event = MetricEvent(
                labels: Labels(
                    type: "api_latency_ms", service: service, tags: ["endpoint": endpoint, "pad": String(repeating: "p", count: 20)]),
                timestamp: t, value: value)
            return EndToEndRecord(
                index: i, topic: apiTopic, partition: partition, key: Array(service.utf8), value: Array(json.utf8), event: event)
        case 2, 3:
            // No service in the event: the message key names it.
            let value = Double(i % 101)
            let json = "{\"type\":\"queue_depth\",\"value\":\(value),\"timestamp\":\(t),\"tags\":{}}"
            let event = MetricEvent(labels: Labels(type: "queue_depth", service: "keyed"), timestamp: t, value: value)
            return EndToEndRecord(
                index: i, topic: apiTopic, partition: partition, key: Array("keyed".utf8), value: Array(json.utf8), event: event)
        default:
            let host = "h\(i % 2)"
            let value = Double(i % 100) + 0.5
            let line = "cpu,service=worker,host=\(host) usage_percent=\(value) \(t * 1_000_000)"
            let event = MetricEvent(
                labels: Labels(type: "cpu_usage_percent", service: "worker", tags: ["host": host]), timestamp: t, value: value)
            return EndToEndRecord(index: i, topic: metricsTopic, partition: partition, key: nil, value: Array(line.utf8), event: event)
        }
    }

    private func invalid(_ i: Int, _ topic: String, _ partition: Int32, _ text: String, _ reason: String) -> EndToEndRecord {
        EndToEndRecord(index: i, topic: topic, partition: partition, key: nil, value: Array(text.utf8), event: nil, reason: reason)
    }

    /// Produces records `range` (each to its own partition) and waits until all are delivered.
    func produce(_ range: Range<Int>, bootstrap: String) throws -> [EndToEndRecord] {
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": bootstrap, "log_level": "3", "linger.ms": "5"]))
        let records = range.map(record)
        for r in records {
            try producer.produce(topic: r.topic, partition: r.partition, key: r.key, value: r.value)
        }
        try producer.flush(timeout: .seconds(30))
        guard producer.deliveredCount == records.count, producer.deliveryFailureCount == 0 else {
            throw KafkaTestFailure("delivered \(producer.deliveredCount) of \(records.count)")
        }
        return records
    }

    /// `topic/partition` -> offset of each record, in production order (one producer, so the
    /// mock broker appends each partition's records in that order).
    static func offsets(_ records: [EndToEndRecord]) -> (offsets: [Int: Int64], ends: SourcePositions) {
        var ends: SourcePositions = [:]
        var offsets: [Int: Int64] = [:]
        for r in records {
            let key = "\(r.topic)/\(r.partition)"
            offsets[r.index] = ends[key] ?? 0
            ends[key] = (ends[key] ?? 0) + 1
        }
        return (offsets, ends)
    }
}

/// A stored or expected sample, identified by series and time.
struct EndToEndSample: Hashable, Comparable {
    var labels: Labels
    var timestamp: Int64
    var value: UInt64  // bit pattern

    init(_ event: MetricEvent) {
        labels = event.labels
        timestamp = event.timestamp
        value = event.value.bitPattern
    }

    init(labels: Labels, timestamp: Int64, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value.bitPattern
    }

    static func < (a: EndToEndSample, b: EndToEndSample) -> Bool { (a.labels, a.timestamp, a.value) < (b.labels, b.timestamp, b.value) }
}

extension Store {
    /// Every raw sample in the store, sorted (a multiset: duplicates stay).
    func allEndToEndSamples() throws -> [EndToEndSample] {
        var out: [EndToEndSample] = []
        for info in select([]) {
            let columns = try samples(info.ref)
            for i in 0..<columns.count {
                out.append(EndToEndSample(labels: info.labels, timestamp: columns.timestamps[i], value: columns.values[i]))
            }
        }
        return out.sorted()
    }
}

/// A bounded wait: polls `condition` every 20 ms until it holds or `limit` passes.
@discardableResult
func waitUntil(_ limit: Duration, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
