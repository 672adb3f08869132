import TSDB

/// A built-in transformer as written in the config file's `transforms:` list.
public enum TransformSpec: Sendable, Equatable {
    /// Events of metric (`__name__`) `metric` get the name `to`.
    case rename(metric: String, to: String)
    /// Values of `metric` are multiplied by `factor`; the metric is renamed when `rename` is set.
    case scale(metric: String, factor: Double, rename: String?)
    /// Events of `metric` (any metric when nil) whose labels contain every pair of `match` are dropped.
    case drop(metric: String?, match: [String: String])
    /// Of the events of `metric`, one in `every` per series is kept (the first, then every `every`-th).
    case sample(metric: String, every: Int)
    /// Events whose labels contain every pair of `match` get `tags` they do not already carry.
    case enrich(match: [String: String], tags: [String: String])

    /// A fresh transformer (with its own state) doing what the spec says.
    public func makeTransformer() -> any MetricTransformer {
        switch self {
        case .rename(let metric, let to): RenameTransformer(metric: metric, to: to)
        case .scale(let metric, let factor, let rename): ScaleTransformer(metric: metric, factor: factor, rename: rename)
        case .drop(let metric, let match): DropTransformer(metric: metric, match: match)
        case .sample(let metric, let every): SampleTransformer(metric: metric, every: every)
        case .enrich(let match, let tags): EnrichTransformer(match: match, tags: tags)
        }
    }
}
