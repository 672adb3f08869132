import TSDB

/// Rewrites, drops or samples events before they are stored. Called by one thread at a time (the pipeline's).
public protocol MetricTransformer: AnyObject, Sendable {
    /// Short name for logs and stats, e.g. `rename(old->new)`.
    var name: String { get }
    /// Transforms the batch in place (may remove events).
    func apply(_ events: inout [MetricEvent])
}

/// Folds events into derived series, emitted at `flush`.
public protocol MetricAggregator: AnyObject, Sendable {
    /// Short name for logs and stats.
    var name: String { get }
    /// Counts or folds the (already transformed and accepted) events of one batch.
    func observe(_ events: [MetricEvent])
    /// Derived events for complete intervals up to `now` (stored with the next batch).
    func flush(now: Int64) -> [MetricEvent]
}
