import TSDB

/// Deterministic, streaming generator of a metrics service's workload: per-request
/// `api_latency_ms` events of a fleet of services plus their gauges and counters, in time order.
///
/// Each `forEach...` call replays the whole workload from the start, identical for the same spec.
public struct WorkloadGenerator: Sendable {
    public let spec: WorkloadSpec
    private let profiles: [ServiceProfile]
    private let table: SeriesTable
    private var batchSeries: [Int32] = []
    private var batchTimestamps: [Int64] = []
    private var batchValues: [Double] = []

    public init(_ spec: WorkloadSpec) {
        self.spec = spec
        profiles = ServiceCatalog.profiles(count: spec.services)
        table = SeriesTable(profiles: profiles)
    }

    /// All series the workload can emit; a sample's series index points into this table.
    public var seriesLabels: [Labels] { table.labels }

    /// The kind of each series in `seriesLabels`.
    public var seriesKinds: [SeriesKind] { table.kinds }

    /// Calls `body` with consecutive batches of up to `batchSize` events, time-ordered within and
    /// across batches, until the workload is exhausted.
    public mutating func forEachBatch(batchSize: Int, _ body: ([MetricEvent]) throws -> Void) rethrows {
        let labels = table.labels
        var events: [MetricEvent] = []
        events.reserveCapacity(batchSize)
        try forEachColumnBatch(batchSize: batchSize) { series, timestamps, values in
            events.removeAll(keepingCapacity: true)
            for i in series.indices {
                events.append(MetricEvent(labels: labels[Int(series[i])], timestamp: timestamps[i], value: values[i]))
            }
            try body(events)
        }
    }

    /// Calls `body` with consecutive column batches of up to `batchSize` samples (series index into
    /// `seriesLabels`, timestamp in ms, value), time-ordered within and across batches. The arrays
    /// are reused: copy them if you keep them.
    public mutating func forEachColumnBatch(
        batchSize: Int, _ body: (_ series: [Int32], _ timestamps: [Int64], _ values: [Double]) throws -> Void
    ) rethrows {
        precondition(batchSize > 0, "batchSize must be positive")
        var stream = WorkloadStream(spec: spec, profiles: profiles, table: table)
        batchSeries.removeAll(keepingCapacity: true)
        batchTimestamps.removeAll(keepingCapacity: true)
        batchValues.removeAll(keepingCapacity: true)
        batchSeries.reserveCapacity(batchSize)
        batchTimestamps.reserveCapacity(batchSize)
        batchValues.reserveCapacity(batchSize)
        while stream.nextSlice() {
            let slice = stream.sorted
            var from = 0
            while from < slice.count {
                let take = min(slice.count - from, batchSize - batchSeries.count)
                batchSeries.append(contentsOf: UnsafeBufferPointer(start: slice.series + from, count: take))
                batchTimestamps.append(contentsOf: UnsafeBufferPointer(start: slice.times + from, count: take))
                batchValues.append(contentsOf: UnsafeBufferPointer(start: slice.values + from, count: take))
                from += take
                if batchSeries.count == batchSize { try flush(body) }
            }
        }
        if !batchSeries.isEmpty { try flush(body) }
    }

    private mutating func flush(
        _ body: (_ series: [Int32], _ timestamps: [Int64], _ values: [Double]) throws -> Void
    ) rethrows {
        try body(batchSeries, batchTimestamps, batchValues)
        batchSeries.removeAll(keepingCapacity: true)
        batchTimestamps.removeAll(keepingCapacity: true)
        batchValues.removeAll(keepingCapacity: true)
    }
}
