/// A handle on a series of one store, valid for that store's lifetime.
public struct SeriesRef: Hashable, Sendable {
    public let id: UInt32
}

/// Samples to append in one durable step, in columns. Series are given by labels (interned per
/// batch, so a repeated series costs one hash lookup) or by a `SeriesRef` from `Store.seriesRef`.
public struct WriteBatch: Sendable {
    /// Per sample: a global series id, or `localFlag | index into localLabels`.
    var refs: [UInt32] = []
    var timestamps: [Int64] = []
    var values: [Double] = []
    var localLabels: [Labels] = []
    private var localIndex: [Labels: UInt32] = [:]

    static let localFlag: UInt32 = 0x8000_0000

    public init(capacity: Int = 0) {
        refs.reserveCapacity(capacity)
        timestamps.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    public var count: Int { refs.count }
    public var isEmpty: Bool { refs.isEmpty }

    public mutating func append(_ labels: Labels, _ timestamp: Int64, _ value: Double) {
        let local: UInt32
        if let existing = localIndex[labels] {
            local = existing
        } else {
            local = UInt32(localLabels.count)
            localLabels.append(labels)
            localIndex[labels] = local
        }
        refs.append(WriteBatch.localFlag | local)
        timestamps.append(timestamp)
        values.append(value)
    }

    public mutating func append(_ ref: SeriesRef, _ timestamp: Int64, _ value: Double) {
        refs.append(ref.id)
        timestamps.append(timestamp)
        values.append(value)
    }

    public mutating func append(_ event: MetricEvent) { append(event.labels, event.timestamp, event.value) }

    public mutating func removeAll(keepingCapacity: Bool = true) {
        refs.removeAll(keepingCapacity: keepingCapacity)
        timestamps.removeAll(keepingCapacity: keepingCapacity)
        values.removeAll(keepingCapacity: keepingCapacity)
        localLabels.removeAll(keepingCapacity: keepingCapacity)
        localIndex.removeAll(keepingCapacity: keepingCapacity)
    }
}

/// Opaque positions in the sources a batch came from, e.g. `"api_metrics/3" -> 1042` (the next
/// Kafka offset to read). A batch whose every position is already recorded is a replay.
public typealias SourcePositions = [String: Int64]

/// What `append` did with a batch.
public struct AppendResult: Sendable, Equatable {
    public var accepted: Int = 0
    public var rejected: [RejectionReason: Int] = [:]
    /// Every rejected sample: its index in the batch and the reason (so each can be dead-lettered).
    public var rejections: [Rejection] = []
    /// True when the batch's source positions were all already stored: nothing was written.
    public var duplicate = false

    public var rejectedCount: Int { rejected.values.reduce(0, +) }

    public struct Rejection: Sendable, Equatable {
        public var index: Int
        public var reason: RejectionReason
    }
}
