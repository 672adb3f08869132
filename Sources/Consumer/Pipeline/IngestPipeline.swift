import Synchronization
import TSDB

/// What one batch did.
public struct BatchOutcome: Sendable, Equatable {
    public var messages = 0
    public var accepted = 0
    /// Rejected events by reason (decoding, validation and the store's own rejections).
    public var rejected: [String: Int] = [:]
    /// Valid events the transform chain dropped or sampled away (configured, so not rejections).
    public var transformedAway = 0
    /// Events the aggregators derived and stored with this batch.
    public var derived = 0
    /// Records below the partition's recorded position (already stored; seen again after an offset reset): skipped.
    public var replayedSkipped = 0
    /// The batch was a replay of positions the store already holds: nothing was stored again.
    public var duplicate = false
    /// Next offset per partition, durable in the store: what to commit to Kafka.
    public var nextOffsets: [TopicPartition: Int64] = [:]

    public var rejectedCount: Int { rejected.values.reduce(0, +) }
}

/// Decode, validate, dead-letter, store (with the Kafka offsets the batch came from, so the
/// store is the truth about what was consumed), then hand the stored events to the Redis
/// mirror stage. One batch at a time: callers serialise `process`.
public final class IngestPipeline: @unchecked Sendable {
    public let store: Store
    private let decoder: EventDecoder
    private let validator: EventValidator
    public let deadLetters: DeadLetterQueue
    /// Where stored events go for Redis (nil: no mirror).
    public let mirror: MirrorStage?
    /// Transformers applied to every valid event before it is stored, and aggregators fed with them.
    public let transforms: TransformChain?
    private let clock: @Sendable () -> Int64
    private let qualityState: Mutex<DataQualityReport>
    private var decoded = DecodedMessage()

    /// The data-quality report so far (safe to read from any thread).
    public var quality: DataQualityReport { qualityState.withLock { $0 } }

    public init(
        store: Store, decoder: EventDecoder = EventDecoder(), validator: EventValidator, deadLetters: DeadLetterQueue,
        mirror: MirrorStage? = nil, transforms: TransformChain? = nil, quality: DataQualityReport,
        clock: @escaping @Sendable () -> Int64
    ) {
        self.store = store
        self.decoder = decoder
        self.validator = validator
        self.deadLetters = deadLetters
        self.mirror = mirror
        self.transforms = transforms.flatMap { $0.isEmpty ? nil : $0 }
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
        let keepAccepted = mirror != nil || !(transforms?.aggregators.isEmpty ?? true)
        var sources: SourcePositions = [:]
        let stored = store.sourcePositions()
        for (index, m) in messages.enumerated() {
            let tp = m.topicPartition
            if let position = stored[tp.sourceKey], m.offset < position {
                outcome.replayedSkipped += 1
                continue
            }
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
            if let transforms, !transforms.transformers.isEmpty {
                let before = decoded.events.count
                transforms.apply(&decoded.events)
                outcome.transformedAway += before - decoded.events.count
            }
            for e in decoded.events {
                batch.append(e)
                origin.append(index)
                if keepAccepted { accepted.append(e) }
            }
        }
        if !messages.isEmpty && outcome.replayedSkipped == messages.count {
            outcome.duplicate = true  // every record is already stored: a replay
            return outcome
        }
        if let transforms, !transforms.aggregators.isEmpty {
            transforms.observe(accepted)
            for e in transforms.flush(now: now) {
                batch.append(e)
                origin.append(-1)
                accepted.append(e)
                outcome.derived += 1
            }
        }
        try deadLetters.flush()
        let result = try store.append(batch, sources: sources)
        outcome.duplicate = result.duplicate
        if !result.duplicate {
            outcome.accepted = result.accepted
            for (reason, n) in result.rejected { outcome.rejected[reason.rawValue, default: 0] += n }
            if !result.rejections.isEmpty {
                var rejectedIndexes = Set<Int>()
                var letteredMessages = Set<Int>()
                for r in result.rejections {
                    rejectedIndexes.insert(r.index)
                    // Derived by an aggregator: counted, no message to dead-letter. A message
                    // with several refused samples is dead-lettered once, with the first reason.
                    guard origin[r.index] >= 0, letteredMessages.insert(origin[r.index]).inserted else { continue }
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
            mirror?.submit(accepted, now: now)
        }
        for (key, next) in sources {
            guard let slash = key.lastIndex(of: "/"), let p = Int32(key[key.index(after: slash)...]) else { continue }
            outcome.nextOffsets[TopicPartition(String(key[..<slash]), p)] = next
        }
        return outcome
    }
}
