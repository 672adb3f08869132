import Synchronization
import TSDB

/// Counts ingested events per minute of event time and per (service, type), emitted as
/// `ingested_events{service, type}` = count at the minute's start once the minute is complete.
///
/// A minute `[m, m + 1 min)` is complete at `flush(now:)` when `now >= m + 1 min + lateness`:
/// events arriving later for an emitted minute are counted in `lateEvents` and not emitted again
/// (a second sample at the same timestamp would be a duplicate). Open counters are capped at
/// `maxOpenKeys` (minute, service, type) triples; events beyond the cap count in `overflowEvents`.
/// The aggregator ignores its own output series so a stored count is never counted.
public final class IngestCountAggregator: MetricAggregator {
    /// `__name__` of the emitted series.
    public let metric: String
    /// Grace after a minute's end for out-of-order events (ms).
    public let lateness: Int64
    public let maxOpenKeys: Int
    public var name: String { "ingest_count(\(metric))" }

    private struct Key: Hashable {
        var minute: Int64
        var service: String
        var type: String
    }
    private struct State {
        var counts: [Key: Int] = [:]
        /// Minutes before this one (start, ms) have been emitted.
        var emittedBefore = Int64.min
        var lateEvents = 0
        var overflowEvents = 0
    }
    private let state = Mutex(State())

    /// Counts into `metric` (default `ingested_events`), minutes complete `lateness` after their end.
    public init(metric: String = "ingested_events", lateness: Int64 = 60_000, maxOpenKeys: Int = 100_000) {
        self.metric = metric
        self.lateness = max(0, lateness)
        self.maxOpenKeys = max(1, maxOpenKeys)
    }

    /// Events that arrived after their minute had been emitted.
    public var lateEvents: Int { state.withLock { $0.lateEvents } }
    /// Events not counted because `maxOpenKeys` counters were open.
    public var overflowEvents: Int { state.withLock { $0.overflowEvents } }

    public func observe(_ events: [MetricEvent]) {
        state.withLock { s in
            for e in events {
                let type = e.labels.metricType
                if type == metric { continue }
                let minute = Self.minuteStart(e.timestamp)
                if minute < s.emittedBefore {
                    s.lateEvents += 1
                    continue
                }
                let key = Key(minute: minute, service: e.labels.serviceName, type: type)
                if let n = s.counts[key] {
                    s.counts[key] = n + 1
                } else if s.counts.count < maxOpenKeys {
                    s.counts[key] = 1
                } else {
                    s.overflowEvents += 1
                }
            }
        }
    }

    public func flush(now: Int64) -> [MetricEvent] {
        // Minutes whose end + lateness is at or before now: start <= now - lateness - 1 min.
        let (limit, overflow) = now.subtractingReportingOverflow(lateness &+ 60_000)
        guard !overflow else { return [] }
        let before = Self.minuteStart(limit) &+ 60_000
        return state.withLock { s in
            guard before > s.emittedBefore else { return [] }
            var out: [MetricEvent] = []
            for (key, n) in s.counts where key.minute < before {
                out.append(
                    MetricEvent(
                        labels: Labels(type: metric, service: key.service, tags: ["type": key.type]), timestamp: key.minute,
                        value: Double(n)))
            }
            s.counts = s.counts.filter { $0.key.minute >= before }
            s.emittedBefore = before
            out.sort { ($0.timestamp, $0.labels) < ($1.timestamp, $1.labels) }
            return out
        }
    }

    /// Start (ms) of the minute holding `t` (floor, also for negative times).
    private static func minuteStart(_ t: Int64) -> Int64 {
        let r = t % 60_000
        return r < 0 ? t &- r &- 60_000 : t &- r
    }
}
