import Logging
import Synchronization
import TSDB

/// Live counters of the consumer loop, for the status line, `/metrics` and tests.
public struct ConsumerStats: Sendable, Equatable {
    public var messages = 0
    public var stored = 0
    public var rejected = 0
    public var rejectedByReason: [String: Int] = [:]
    public var batches = 0
    /// Valid events the transform chain dropped or sampled away, and events aggregators derived.
    public var transformedAway = 0
    public var derived = 0
    public var duplicateBatches = 0
    public var commitFailures = 0
    /// librdkafka events by kind (`offset_reset`, `broker_unavailable`, `other`).
    public var kafkaEvents: [String: Int] = [:]
    /// The most recent librdkafka events, newest last (bounded).
    public var recentKafkaEvents: [String] = []
    /// Records skipped because the store already held them (a reset moved a partition back).
    public var replayedSkipped = 0
    public var lag: [TopicPartition: Int64] = [:]
    /// Messages processed per second over the last few seconds.
    public var messagesPerSecond = 0.0
    /// Seconds spent waiting in poll (fetching) and processing batches (decode, validate, store).
    public var fetchSeconds = 0.0
    public var processingSeconds = 0.0
    /// Times the partitions were paused because the Redis mirror fell behind, and seconds paused.
    public var backpressurePauses = 0
    public var pausedSeconds = 0.0
    /// Poll-to-acknowledgement latency of recent batches, milliseconds (newest last, bounded).
    public var batchLatenciesMs: [Double] = []
    /// Poll-to-acknowledgement latency of every batch.
    public var batchLatency = LatencyHistogram()

    public var totalLag: Int64 { lag.values.reduce(0, +) }

    public func batchLatencyPercentile(_ q: Double) -> Double? {
        guard !batchLatenciesMs.isEmpty else { return nil }
        let s = batchLatenciesMs.sorted()
        return s[min(s.count - 1, Int((q * Double(s.count - 1)).rounded(.up)))]
    }
}

/// The consumer loop: poll Kafka, batch by size or time, hand each batch to the pipeline
/// (stored with its offsets), then commit those offsets to Kafka for lag tools. On assignment
/// partitions start from the offsets the store recorded; on revocation the open batch is
/// processed first. Runs on the calling thread until `stop()`.
public final class ConsumerService: @unchecked Sendable {
    public let config: ConsumerConfig
    public let pipeline: IngestPipeline
    private let consumer: KafkaConsumer
    private let stopping = Atomic<Bool>(false)
    private let statsLock = Mutex(ConsumerStats())
    private var buffer: [KafkaMessage] = []
    private var lastEventLog: [KafkaConsumerEvent.Kind: Double] = [:]
    /// Where recoveries are logged (offset resets, broker outages), at warning level.
    public let logger: Logger
    private var bufferStarted: Double = 0

    public init(
        config: ConsumerConfig, pipeline: IngestPipeline, kafka: KafkaConfig, logger: Logger = Logger(label: "metrics.consumer")
    ) throws(KafkaError) {
        self.config = config
        self.pipeline = pipeline
        self.logger = logger
        let box = HandlerBox()
        var kafka = kafka
        for (name, value) in Self.fetchDefaults(maxMemoryMB: config.maxMemoryMB) where kafka[name] == nil { kafka[name] = value }
        consumer = try KafkaConsumer(config: kafka, topics: config.topics) { event in box.handle(event) }
        box.service = self
    }

    public var stats: ConsumerStats { statsLock.withLock { $0 } }

    /// librdkafka fetch properties the service sets unless the operator does: prefetch deep
    /// enough to keep the pipeline busy (librdkafka's default stalls at ~300 k events/s here),
    /// bounded to a quarter of `MAX_MEMORY_MB`.
    public static func fetchDefaults(maxMemoryMB: Int) -> [String: String] {
        ["queued.min.messages": "1000000", "queued.max.messages.kbytes": String(min(2_097_151, max(1024, maxMemoryMB * 1024 / 4)))]
    }

    /// Asks the loop to finish its batch, commit and return (safe from any thread or a signal path).
    public func stop() { stopping.store(true, ordering: .releasing) }

    /// Polls until `stop()`; then processes what is buffered, commits and closes the consumer.
    public func run() throws {
        var lastLag = ProcessStats.now()
        var pausedAt: Double?
        var lastMessages = stats.messages
        while !stopping.load(ordering: .acquiring) {
            pausedAt = applyBackpressure(pausedAt: pausedAt)
            let room = max(1, config.batchSize - buffer.count)
            let pollStart = ProcessStats.now()
            let polled = consumer.poll(maxMessages: room, timeout: .milliseconds(pausedAt == nil ? 100 : 20))
            let pollSeconds = ProcessStats.now() - pollStart
            statsLock.withLock { $0.fetchSeconds += pollSeconds }
            if !polled.isEmpty {
                if buffer.isEmpty { bufferStarted = ProcessStats.now() }
                buffer.append(contentsOf: polled)
            }
            record(consumer.takeEvents())
            if buffer.count >= config.batchSize || (!buffer.isEmpty && ProcessStats.now() - bufferStarted >= config.flushIntervalSeconds) {
                try flush()
            }
            if ProcessStats.now() - lastLag >= 2 {
                let elapsed = ProcessStats.now() - lastLag
                lastLag = ProcessStats.now()
                let lag = try? consumer.lag(timeout: .seconds(1), cached: true)
                statsLock.withLock { s in
                    if let lag { s.lag = lag }
                    s.messagesPerSecond = Double(s.messages - lastMessages) / elapsed
                    lastMessages = s.messages
                }
            }
        }
        if pausedAt != nil, let assigned = try? consumer.assignment() { try? consumer.resume(assigned) }
        try flush(synchronousCommit: true)
        try? consumer.close()
        pipeline.mirror?.close()
    }

    /// Counts librdkafka's events by kind and logs them (at most one line per kind every 10 s:
    /// an outage must not flood the log); librdkafka itself reconnects and resets offsets.
    private func record(_ events: [KafkaConsumerEvent]) {
        guard !events.isEmpty else { return }
        let now = ProcessStats.now()
        var lines: [String] = []
        statsLock.withLock { s in
            for e in events {
                s.kafkaEvents[e.kind.rawValue, default: 0] += 1
                s.recentKafkaEvents.append(e.description)
                if now - (lastEventLog[e.kind] ?? -.infinity) >= 10 {
                    lastEventLog[e.kind] = now
                    lines.append("\(e) (\(e.kind.rawValue), \(s.kafkaEvents[e.kind.rawValue] ?? 0) so far; librdkafka recovers by itself)")
                }
            }
            if s.recentKafkaEvents.count > 20 { s.recentKafkaEvents.removeFirst(s.recentKafkaEvents.count - 20) }
        }
        for line in lines { logger.warning("\(line)") }
    }

    /// Pauses every assigned partition while the Redis mirror's queue is full, and resumes them
    /// once it has room: the consumer waits instead of buffering. Returns when the pause began.
    private func applyBackpressure(pausedAt: Double?) -> Double? {
        guard let mirror = pipeline.mirror else { return nil }
        let full = mirror.isFull
        if full, pausedAt == nil, let assigned = try? consumer.assignment(), (try? consumer.pause(assigned)) != nil {
            statsLock.withLock { $0.backpressurePauses += 1 }
            return ProcessStats.now()
        }
        if !full, let since = pausedAt {
            if let assigned = try? consumer.assignment() { try? consumer.resume(assigned) }
            statsLock.withLock { $0.pausedSeconds += ProcessStats.now() - since }
            return nil
        }
        return pausedAt
    }

    /// Processes the buffered messages as one batch and commits their offsets: asynchronously
    /// while running (the store already holds them), synchronously on revocation and shutdown.
    func flush(synchronousCommit: Bool = false) throws {
        guard !buffer.isEmpty else { return }
        let messages = buffer
        buffer.removeAll(keepingCapacity: true)
        let processStart = ProcessStats.now()
        let outcome = try pipeline.process(messages)
        let processSeconds = ProcessStats.now() - processStart
        var commitFailed = false
        do { try consumer.commit(offsets: outcome.nextOffsets, asynchronous: !synchronousCommit) } catch { commitFailed = true }
        let latency = (ProcessStats.now() - bufferStarted) * 1000
        statsLock.withLock { s in
            s.messages += outcome.messages
            s.stored += outcome.accepted
            s.rejected += outcome.rejectedCount
            for (k, v) in outcome.rejected { s.rejectedByReason[k, default: 0] += v }
            s.batches += 1
            s.transformedAway += outcome.transformedAway
            s.replayedSkipped += outcome.replayedSkipped
            s.derived += outcome.derived
            if outcome.duplicate { s.duplicateBatches += 1 }
            s.processingSeconds += processSeconds
            if commitFailed { s.commitFailures += 1 }
            s.batchLatency.observe(latency)
            s.batchLatenciesMs.append(latency)
            if s.batchLatenciesMs.count > 1024 { s.batchLatenciesMs.removeFirst(s.batchLatenciesMs.count - 1024) }
        }
    }

    /// Assignment: start where the store says (partitions it has never seen start from the
    /// group's committed offset, then `auto.offset.reset`). Revocation: finish the open batch.
    fileprivate func rebalance(_ event: KafkaRebalance) -> [TopicPartition: Int64] {
        switch event {
        case .assigned(let partitions):
            var starts: [TopicPartition: Int64] = [:]
            for (p, offset) in pipeline.startOffsets(for: partitions) { if let offset { starts[p] = offset } }
            return starts
        case .revoked:
            try? flush(synchronousCommit: true)
            return [:]
        }
    }
}

/// Lets the rebalance callback, created before `self` exists, reach the service.
private final class HandlerBox: @unchecked Sendable {
    weak var service: ConsumerService?
    func handle(_ event: KafkaRebalance) -> [TopicPartition: Int64] { service?.rebalance(event) ?? [:] }
}
