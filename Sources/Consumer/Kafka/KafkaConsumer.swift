import Foundation

/// A high-level Kafka group consumer with manual offsets: nothing is committed until the store
/// acknowledges, and start offsets can come from the store through the rebalance handler.
///
/// Thread-safe through a recursive lock, but meant for one owner. Every method may block
/// (poll for its timeout, commit/lag/close for network round trips): call them from a dedicated
/// thread, not the cooperative pool. The rebalance handler runs inside `poll`/`close` on the
/// calling thread and may call `commit` (e.g. flush, then commit, on revoke).
public final class KafkaConsumer: @unchecked Sendable {
    /// Called on assign (return start offsets: the next offset to read per partition; omitted
    /// partitions start from the committed offset, else `auto.offset.reset`) and on revoke
    /// (flush and commit before returning; the result is ignored).
    public typealias RebalanceHandler = @Sendable (KafkaRebalance) -> [TopicPartition: Int64]

    private let lock = NSRecursiveLock()
    private let client: RdKafkaClient
    private var closed = false
    private var errors = 0

    /// Properties always set: offsets are committed only explicitly.
    public static let forcedProperties = ["enable.auto.commit": "false", "enable.auto.offset.store": "false"]

    /// Creates the consumer and subscribes to `topics`; `auto.offset.reset` defaults to `earliest`.
    public init(config: KafkaConfig, topics: [String], rebalance: RebalanceHandler? = nil) throws(KafkaError) {
        var config = config.merging(Self.forcedProperties)
        if config["auto.offset.reset"] == nil { config["auto.offset.reset"] = "earliest" }
        guard config["group.id"] != nil else {
            throw .invalidConfig(property: "group.id", reason: "a group consumer needs group.id")
        }
        let callbacks = RdKafkaCallbacks()
        callbacks.rebalance = rebalance
        client = try RdKafkaClient.consumer(config, callbacks: callbacks)
        try client.subscribe(topics)
    }

    deinit {
        if !closed { try? client.closeConsumer() }
    }

    /// Up to `maxMessages` records, waiting at most `timeout` for the first; returns as soon as
    /// the already-fetched records are drained. Errors other than partition EOF are counted and
    /// kept for `takeEvents()`.
    public func poll(maxMessages: Int, timeout: Duration) -> [KafkaMessage] {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return [] }
        let before = client.callbacks.events.count
        let messages = client.consume(maxMessages: maxMessages, timeoutMs: RdKafka.milliseconds(timeout))
        errors += client.callbacks.events.count - before
        return messages
    }

    /// Errors seen while polling (and in rebalances) since the last call.
    public func takeEvents() -> [KafkaConsumerEvent] {
        lock.lock()
        defer { lock.unlock() }
        defer { client.callbacks.events.removeAll() }
        return client.callbacks.events
    }

    /// Number of consume errors seen so far.
    public var errorCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return errors
    }

    /// Synchronously commits next-to-read offsets (last stored offset + 1) for the group.
    /// Commits next-to-read offsets; `asynchronous` does not wait for the coordinator (right
    /// when the store, not Kafka, holds the truth about what was consumed).
    public func commit(offsets: [TopicPartition: Int64], asynchronous: Bool = false) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        try client.commit(offsets, asynchronous: asynchronous)
    }

    /// The group's committed next-to-read offsets (nil where nothing is committed).
    public func committed(_ partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartition: Int64?] {
        lock.lock()
        defer { lock.unlock() }
        return try client.committed(partitions, timeoutMs: RdKafka.milliseconds(timeout))
    }

    /// Makes the next fetch of an assigned partition start at `offset`.
    public func seek(_ partition: TopicPartition, to offset: Int64, timeout: Duration = .seconds(5)) throws(KafkaError) {
        lock.lock()
        defer { lock.unlock() }
        try client.seek(partition, offset: offset, timeoutMs: RdKafka.milliseconds(timeout))
    }

    /// Partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        lock.lock()
        defer { lock.unlock() }
        return try client.assignment()
    }

    /// Records not yet consumed per assigned partition: high watermark minus position (or
    /// minus the low watermark before the first record). Queries each partition leader, or with
    /// `cached` uses the watermarks the last fetch responses carried (no round trip: what the
    /// service's periodic lag gauge uses; partitions not fetched yet are still queried).
    public func lag(timeout: Duration = .seconds(5), cached: Bool = false) throws(KafkaError) -> [TopicPartition: Int64] {
        lock.lock()
        defer { lock.unlock() }
        let positions = try client.position(try client.assignment())
        var lag: [TopicPartition: Int64] = [:]
        for (partition, position) in positions {
            let marks: (low: Int64, high: Int64)
            if cached, let known = client.cachedWatermarks(partition) {
                marks = known
            } else {
                marks = try client.watermarks(partition, timeoutMs: RdKafka.milliseconds(timeout))
            }
            lag[partition] = max(0, marks.high - (position ?? marks.low))
        }
        return lag
    }

    /// Stops fetching these partitions (backpressure); buffered records may still arrive.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        lock.lock()
        defer { lock.unlock() }
        try client.setPaused(partitions, pause: true)
    }

    /// Restarts fetching paused partitions from their current position.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        lock.lock()
        defer { lock.unlock() }
        try client.setPaused(partitions, pause: false)
    }

    /// Leaves the group (the handler sees the final revoke); later polls return nothing.
    public func close() throws(KafkaError) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        try client.closeConsumer()
    }
}
