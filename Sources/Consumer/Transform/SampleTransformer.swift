import Synchronization
import TSDB

/// Keeps one event in `every` per series of one metric: the first, then every `every`-th, counted
/// per series (deterministic: the same input keeps the same events).
///
/// Memory is bounded by two generations of per-series counters: a series is moved to the current
/// generation when seen; the older generation is discarded when the current one reaches
/// `maxSeries` or has lived `forgetAfter` ms of event time. A series unseen for that long starts
/// counting afresh (its next event is kept). At most `2 * maxSeries` counters are held.
public final class SampleTransformer: MetricTransformer {
    public let metric: String
    public let every: Int
    public let maxSeries: Int
    public let forgetAfter: Int64
    public var name: String { "sample(\(metric) 1/\(every))" }

    private struct State {
        var current: [Labels: Int] = [:]
        var previous: [Labels: Int] = [:]
        /// Event time at which `current` was started (nil: no event yet).
        var generationStart: Int64?
    }
    private let state = Mutex(State())

    /// Samples `metric` 1 in `every` (values below 1 keep everything).
    public init(metric: String, every: Int, maxSeries: Int = 100_000, forgetAfter: Int64 = 3_600_000) {
        self.metric = metric
        self.every = max(1, every)
        self.maxSeries = max(1, maxSeries)
        self.forgetAfter = max(1, forgetAfter)
    }

    /// Per-series counters held (both generations), for tests and stats.
    public var trackedSeries: Int { state.withLock { $0.current.count + $0.previous.count } }

    public func apply(_ events: inout [MetricEvent]) {
        guard every > 1 else { return }
        state.withLock { s in
            events.removeAll { e in
                guard e.labels.metricType == metric else { return false }
                rotateIfDue(&s, at: e.timestamp)
                let seen = s.current[e.labels] ?? s.previous.removeValue(forKey: e.labels) ?? 0
                s.current[e.labels] = seen == every - 1 ? 0 : seen + 1
                return seen != 0
            }
        }
    }

    /// Starts a new generation when the current one is full or old.
    private func rotateIfDue(_ s: inout State, at t: Int64) {
        guard let start = s.generationStart else {
            s.generationStart = t
            return
        }
        if s.current.count >= maxSeries || t &- start >= forgetAfter {
            s.previous = s.current
            s.current = [:]
            s.current.reserveCapacity(min(s.previous.count, maxSeries))
            s.generationStart = t
        }
    }
}
