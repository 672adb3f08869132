import Synchronization
import TSDB

/// What one batch did.
public struct BatchOutcome: Sendable, Equatable {
    public var messages = 0
    public var accepted = 0
    /// Rejected events by reason (decoding, validation and the store's own rejections).
    public var rejected: [String: Int] = [:]
    /// The batch was a replay of positions the store already holds: nothing was stored again.
    public var duplicate = false
    /// Next offset per partition, durable in the store: what to commit to Kafka.
    public var nextOffsets: [TopicPartition: Int64] = [:]
    /// The Redis mirror failed for this batch (the store has it; the mirror catches up later).
    public var mirrorFailed = false

    public var rejectedCount: Int { rejected.values.reduce(0, +) }
}

/// Decode, validate, dead-letter, store (with the Kafka offsets the batch came from, so the
/// store is the truth about what was consumed), then mirror to Redis. One batch at a time:
/// callers serialise `process`.
public final class IngestPipeline: @unchecked Sendable {
    public let store: Store
    private let decoder: EventDecoder
    private let validator: EventValidator
    private let deadLetters: DeadLetterFileSink
    private let mirror: RedisMirror?
    /// The service's health JSON for `metrics:health:{service}` (nil: no health list).
    private let health: (@Sendable (_ service: String, _ end: Int64) -> String?)?
    private let clock: @Sendable () -> Int64
    private let qualityState: Mutex<DataQualityReport>
    private var decoded = DecodedMessage()
    /// When each service's health summary was last mirrored (ms).
    private var lastHealth: [String: Int64] = [:]

    /// The data-quality report so far (safe to read from any thread).
    public var quality: DataQualityReport { qualityState.withLock { $0 } }

    public init(
        store: Store, decoder: EventDecoder = EventDecoder(), validator: EventValidator, deadLetters: DeadLetterFileSink,
        mirror: RedisMirror? = nil, health: (@Sendable (String, Int64) -> String?)? = nil, quality: DataQualityReport,
        clock: @escaping @Sendable () -> Int64
    ) {
        self.store = store
        self.decoder = decoder
        self.validator = validator
        self.deadLetters = deadLetters
        self.mirror = mirror
        self.health = health
        qualityState = Mutex(quality)
        self.clock = clock
    }

    /// Where each partition should resume: the store's recorded next offset (nil: not seen, so
    /// the group's committed offset or `auto.offset.reset` decides).
    public func startOffsets(for partitions: [TopicPartition]) -> [TopicPartition: Int64?] {
        let positions = store.sourcePositions()
        var out: [TopicPartition: Int64?] = [:]
        for p in partitions { out[p] = positions[p.sourceKey] }
        return out
    }

    /// Processes one batch. Rejected messages are durable in the dead-letter sink before the
    /// batch's offsets are recorded in the store; the batch is acknowledged only when durable.
    public func process(_ messages: [KafkaMessage]) throws -> BatchOutcome {
        var outcome = BatchOutcome()
        outcome.messages = messages.count
        let now = clock()
        var batch = WriteBatch(capacity: messages.count)
        var origin: [Int] = []  // message index per batch sample
        var accepted: [MetricEvent] = []
        var sources: SourcePositions = [:]
        for (index, m) in messages.enumerated() {
            let tp = m.topicPartition
            sources[tp.sourceKey] = max(sources[tp.sourceKey] ?? .min, m.offset + 1)
            m.value.withUnsafeBytes { value in
                if let key = m.key {
                    key.withUnsafeBytes { k in
                        decoder.decode(value, key: k, headers: m.headers, topic: tp.topic, ingestTime: now, into: &decoded)
                    }
                } else {
                    decoder.decode(value, key: nil, headers: m.headers, topic: tp.topic, ingestTime: now, into: &decoded)
                }
            }
            validator.filter(&decoded, now: now)
            qualityState.withLock { [decoded] in $0.record(decoded, ingestTime: now) }
            for rejection in decoded.rejections {
                outcome.rejected[rejection.reason, default: 0] += 1
                deadLetters.append(
                    DeadLetter(
                        topic: tp.topic, partition: tp.partition, offset: m.offset, key: m.key, value: m.value, rejection: rejection,
                        time: now))
            }
            for e in decoded.events {
                batch.append(e)
                origin.append(index)
                accepted.append(e)
            }
        }
        try deadLetters.flush()
        let result = try store.append(batch, sources: sources)
        outcome.duplicate = result.duplicate
        if !result.duplicate {
            outcome.accepted = result.accepted
            for (reason, n) in result.rejected { outcome.rejected[reason.rawValue, default: 0] += n }
            if !result.firstRejections.isEmpty {
                var rejectedIndexes = Set<Int>()
                for r in result.firstRejections {
                    rejectedIndexes.insert(r.index)
                    let m = messages[origin[r.index]]
                    deadLetters.append(
                        DeadLetter(
                            topic: m.topicPartition.topic, partition: m.topicPartition.partition, offset: m.offset, key: m.key,
                            value: m.value,
                            reason: r.reason.rawValue,
                            message: "the store refused the sample: \(r.reason.rawValue)", time: now))
                }
                try deadLetters.flush()
                accepted = accepted.enumerated().filter { !rejectedIndexes.contains($0.offset) }.map(\.element)
            }
            if let mirror, !accepted.isEmpty {
                outcome.mirrorFailed = !mirrorBatch(accepted, mirror: mirror, now: now)
            }
        }
        for (key, next) in sources {
            guard let slash = key.lastIndex(of: "/"), let p = Int32(key[key.index(after: slash)...]) else { continue }
            outcome.nextOffsets[TopicPartition(String(key[..<slash]), p)] = next
        }
        return outcome
    }

    /// Mirrors the batch (and catches up first when an earlier batch was missed); false when
    /// Redis is unreachable: the error is counted by the mirror and the batch stays in the store.
    private func mirrorBatch(_ events: [MetricEvent], mirror: RedisMirror, now: Int64) -> Bool {
        var healthEntries: [(service: String, json: String)] = []
        if let health {
            // A summary per service at most once a second: it covers 1m/5m/1h windows, so
            // recomputing it for every batch would cost more than the batch itself.
            for service in Set(events.map(\.labels.serviceName)).sorted() where lastHealth[service].map({ now &- $0 >= 1000 }) ?? true {
                lastHealth[service] = now
                if let json = health(service, now) { healthEntries.append((service, json)) }
            }
        }
        if let behind = mirror.takeBehind() {
            // The store already holds this batch: rebuilding the lists from it covers the batch too.
            do {
                try mirror.rebuild(batch: try recent(touchedSince: behind))
                try mirror.mirror(batch: [], health: healthEntries)
                return true
            } catch {
                mirror.markBehind(from: behind)
                return false
            }
        }
        do {
            try mirror.mirror(batch: events, health: healthEntries)
            return true
        } catch {
            return false
        }
    }

    /// For every series written since `since`: its newest 1000 samples (what its Redis list
    /// holds), read from an hour before `since` on, so the rebuilt list is as full as before.
    private func recent(touchedSince since: Int64) throws -> [MetricEvent] {
        var out: [MetricEvent] = []
        for info in store.select([]) {
            let columns = try store.samples(info.ref, from: since &- StoreOptions.hour)
            guard let last = columns.timestamps.last, last >= since else { continue }
            for i in max(0, columns.count - 1000)..<columns.count {
                out.append(MetricEvent(labels: info.labels, timestamp: columns.timestamps[i], value: columns.values[i]))
            }
        }
        return out
    }
}
