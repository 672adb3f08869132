import Foundation

/// A Kafka producer that copies each record and counts delivery reports.
///
/// Thread-safe through a lock; `produce` may block briefly when the local queue is full and
/// `poll`/`flush` block for their timeout, so call them off the cooperative thread pool.
public final class KafkaProducer: @unchecked Sendable {
    private let lock = NSLock()
    private let client: RdKafkaClient

    /// Creates a producer; throws naming any property librdkafka rejects.
    public init(config: KafkaConfig) throws(KafkaError) {
        client = try RdKafkaClient.producer(config)
    }

    /// Enqueues one record; `partition` nil lets the partitioner choose by key.
    ///
    /// When the local queue is full it serves delivery reports and retries for up to ~10 s.
    public func produce(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8],
        headers: [KafkaHeader] = []
    ) throws(KafkaError) {
        lock.lock()
        defer { lock.unlock() }
        var attempts = 0
        while true {
            do {
                return try client.produce(topic: topic, partition: partition, key: key, value: value, headers: headers)
            } catch {
                guard case .operationFailed(_, let code, _) = error, code == RdKafka.queueFullCode, attempts < 100 else { throw error }
                attempts += 1
                client.poll(timeoutMs: 100)
            }
        }
    }

    /// Serves delivery reports for up to `timeout`.
    public func poll(timeout: Duration = .zero) {
        lock.withLock { _ = client.poll(timeoutMs: RdKafka.milliseconds(timeout)) }
    }

    /// Waits until all enqueued records are delivered or failed; throws on timeout.
    public func flush(timeout: Duration) throws(KafkaError) {
        lock.lock()
        defer { lock.unlock() }
        try client.flush(timeoutMs: RdKafka.milliseconds(timeout))
    }

    /// Records acknowledged by the brokers so far.
    public var deliveredCount: Int { lock.withLock { client.callbacks.delivered } }
    /// Records that failed delivery so far.
    public var deliveryFailureCount: Int { lock.withLock { client.callbacks.deliveryFailures } }
    /// Records enqueued but not yet acknowledged.
    public var pendingCount: Int { lock.withLock { client.outQueueLength } }

    /// Delivery and client errors since the last call.
    public func takeEvents() -> [KafkaConsumerEvent] {
        lock.withLock {
            defer { client.callbacks.events.removeAll() }
            return client.callbacks.events
        }
    }
}
