import TSDB

/// The configured transformers (applied in order) and aggregators of the ingest pipeline.
public final class TransformChain: Sendable {
    public let transformers: [any MetricTransformer]
    public let aggregators: [any MetricAggregator]

    /// A chain applying `transformers` in order and feeding `aggregators`.
    public init(transformers: [any MetricTransformer] = [], aggregators: [any MetricAggregator] = []) {
        self.transformers = transformers
        self.aggregators = aggregators
    }

    /// A chain of fresh transformers for `specs`, in order, plus `aggregators`.
    public convenience init(specs: [TransformSpec], aggregators: [any MetricAggregator] = []) {
        self.init(transformers: specs.map { $0.makeTransformer() }, aggregators: aggregators)
    }

    /// Whether the chain does nothing (the pipeline can skip it).
    public var isEmpty: Bool { transformers.isEmpty && aggregators.isEmpty }

    /// Runs every transformer over the batch, in order; stops early once the batch is empty.
    public func apply(_ events: inout [MetricEvent]) {
        for t in transformers {
            if events.isEmpty { return }
            t.apply(&events)
        }
    }

    /// Hands the (stored) events of a batch to every aggregator.
    public func observe(_ events: [MetricEvent]) {
        guard !events.isEmpty else { return }
        for a in aggregators { a.observe(events) }
    }

    /// The derived events of every aggregator for intervals complete at `now`.
    public func flush(now: Int64) -> [MetricEvent] {
        var out: [MetricEvent] = []
        for a in aggregators { out += a.flush(now: now) }
        return out
    }
}
