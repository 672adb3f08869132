/// Feeds parsed JSON-lines events into a store in batches: the engine behind `tsdb import`.
/// Not thread-safe; one per importing thread.
public final class EventImporter {
    public let store: Store
    public let batchSize: Int
    private let parser = EventParser()
    private var batch: WriteBatch
    public private(set) var lines = 0
    public private(set) var accepted = 0
    public private(set) var rejected: [RejectionReason: Int] = [:]

    public init(store: Store, batchSize: Int = 20_000) {
        self.store = store
        self.batchSize = max(1, batchSize)
        batch = WriteBatch(capacity: self.batchSize)
    }

    /// Parses one line into the current batch; returns the parse error of a bad line.
    public func add(_ line: UnsafeRawBufferPointer) -> EventParseError? {
        lines += 1
        let event: MetricEvent
        do { event = try parser.parse(line) } catch { return error }
        if let ref = seriesRef(for: event) {
            batch.append(ref, event.timestamp, event.value)
        } else {
            batch.append(event.labels, event.timestamp, event.value)
        }
        if batch.count >= batchSize {
            do { try flushBatch() } catch { pendingError = error }
        }
        return nil
    }

    /// Series refs by the parser's interned slot, so a known series costs an array read.
    private var refsBySlot: [SeriesRef?] = []
    private var generation = 0

    private func seriesRef(for event: MetricEvent) -> SeriesRef? {
        let slot = parser.lastSeriesSlot
        guard slot >= 0 else { return nil }
        if parser.cacheGeneration != generation {
            generation = parser.cacheGeneration
            refsBySlot.removeAll(keepingCapacity: true)
        }
        if slot < refsBySlot.count, let ref = refsBySlot[slot] { return ref }
        // New series that the store refuses (cardinality, invalid) go the slow way and are counted by `append`.
        guard let ref = try? store.seriesRef(for: event.labels) else { return nil }
        if slot >= refsBySlot.count { refsBySlot.append(contentsOf: repeatElement(nil, count: slot + 1 - refsBySlot.count)) }
        refsBySlot[slot] = ref
        return ref
    }

    /// A store error raised while flushing from `add`; `finish` rethrows it.
    private var pendingError: StoreError?

    private func flushBatch() throws(StoreError) {
        guard !batch.isEmpty else { return }
        if let e = pendingError { throw e }
        let result = try store.append(batch)
        accepted += result.accepted
        for (reason, n) in result.rejected { rejected[reason, default: 0] += n }
        batch.removeAll()
    }

    /// Appends what is left and cuts the head into a durable block.
    public func finish() throws(StoreError) {
        if let e = pendingError { throw e }
        try flushBatch()
        try store.flush()
    }
}
