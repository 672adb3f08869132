import Synchronization

/// Where rejected messages go: the `<topic>.dlq` Kafka topic by default, the DLQ file under the
/// data directory as the fallback. `flush` returns only once every buffered record is durable
/// in one of the two (Kafka acknowledged it, or the file is fsynced), so a batch's offsets are
/// never stored ahead of its dead letters. Delivery to Kafka is at least once: after a partial
/// failure the whole flush goes to the file too, so a record may sit in both.
public final class DeadLetterQueue: Sendable {
    /// Counters for `/metrics` and tests.
    public struct Stats: Sendable, Equatable {
        /// Records acknowledged by the `<topic>.dlq` topic.
        public var toKafka = 0
        /// Records written to the DLQ file.
        public var toFile = 0
        /// Flushes that fell back from Kafka to the file.
        public var fallbacks = 0
        public var lastKafkaError: String?
    }

    /// Suffix of the dead-letter topic: `api_metrics` -> `api_metrics.dlq`.
    public static let topicSuffix = ".dlq"

    public let file: DeadLetterFileSink
    private let producer: KafkaProducer?
    private let deliveryTimeout: Duration
    private let state = Mutex((pending: [DeadLetter](), stats: Stats()))

    /// With a producer, records go to `<topic>.dlq` (file on failure); without, to the file only.
    public init(file: DeadLetterFileSink, producer: KafkaProducer? = nil, deliveryTimeout: Duration = .seconds(10)) {
        self.file = file
        self.producer = producer
        self.deliveryTimeout = deliveryTimeout
    }

    /// A file-only queue under `dataDirectory`.
    public convenience init(dataDirectory: String) { self.init(file: DeadLetterFileSink(dataDirectory: dataDirectory)) }

    public var stats: Stats { state.withLock { $0.stats } }

    /// The dead-letter topic of `topic`.
    public static func topic(for topic: String) -> String { topic + topicSuffix }

    /// Buffers one record (durable after the next `flush`).
    public func append(_ letter: DeadLetter) { state.withLock { $0.pending.append(letter) } }

    /// Makes every buffered record durable: Kafka first, the file when Kafka fails or is not
    /// configured. Throws only when the file fails too (then the records stay buffered).
    public func flush() throws(DeadLetterFileError) {
        let letters = state.withLock { s in
            defer { s.pending.removeAll() }
            return s.pending
        }
        guard !letters.isEmpty else { return }
        if let producer {
            switch deliver(letters, producer) {
            case .none:
                state.withLock { $0.stats.toKafka += letters.count }
                return
            case .some(let error):
                state.withLock {
                    $0.stats.fallbacks += 1
                    $0.stats.lastKafkaError = error
                }
            }
        }
        for letter in letters { file.append(letter) }
        do {
            try file.flush()
        } catch {
            state.withLock { $0.pending.insert(contentsOf: letters, at: 0) }
            throw error
        }
        state.withLock { $0.stats.toFile += letters.count }
    }

    /// Produces the records and waits for every acknowledgement; the error text, or nil on success.
    private func deliver(_ letters: [DeadLetter], _ producer: KafkaProducer) -> String? {
        let failedBefore = producer.deliveryFailureCount
        do {
            for letter in letters {
                try producer.produce(
                    topic: Self.topic(for: letter.topic), key: letter.key, value: letter.json(),
                    headers: [
                        KafkaHeader(name: "dlq.reason", value: Array(letter.reason.utf8)),
                        KafkaHeader(name: "dlq.source", value: Array("\(letter.topic)/\(letter.partition)@\(letter.offset)".utf8)),
                    ])
            }
            try producer.flush(timeout: deliveryTimeout)
        } catch {
            return "\(error)"
        }
        let failed = producer.deliveryFailureCount - failedBefore
        if failed > 0 {
            let reason = producer.takeEvents().last.map { "\($0)" } ?? "delivery failed"
            return "\(failed) of \(letters.count) dead letters not acknowledged: \(reason)"
        }
        return nil
    }
}
