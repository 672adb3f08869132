import TSDB

@testable import Workload

/// A whole (small) workload collected in memory, for the workload tests.
struct WorkloadCapture {
    var series: [Int32] = []
    var timestamps: [Int64] = []
    var values: [Double] = []
    var batchSizes: [Int] = []
    let labels: [Labels]
    let kinds: [SeriesKind]

    init(_ spec: WorkloadSpec, batchSize: Int = 4096) {
        var generator = WorkloadGenerator(spec)
        labels = generator.seriesLabels
        kinds = generator.seriesKinds
        var series: [Int32] = []
        var timestamps: [Int64] = []
        var values: [Double] = []
        var sizes: [Int] = []
        generator.forEachColumnBatch(batchSize: batchSize) { s, t, v in
            series.append(contentsOf: s)
            timestamps.append(contentsOf: t)
            values.append(contentsOf: v)
            sizes.append(s.count)
        }
        self.series = series
        self.timestamps = timestamps
        self.values = values
        batchSizes = sizes
    }

    /// FNV-1a over every (series, timestamp, value bits) of the stream.
    var fingerprint: UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in series.indices {
            for word in [UInt64(UInt32(bitPattern: series[i])), UInt64(bitPattern: timestamps[i]), values[i].bitPattern] {
                h = (h ^ word) &* 0x100_0000_01B3
            }
        }
        return h
    }

    /// Sample rows of each series, in stream order.
    func rowsBySeries() -> [[Int]] {
        var rows = Array(repeating: [Int](), count: labels.count)
        for i in series.indices { rows[Int(series[i])].append(i) }
        return rows
    }

    /// Indices of the series whose labels match `metric` (and `service`, when given).
    func seriesIndices(metric: String, service: String? = nil) -> [Int] {
        labels.indices.filter {
            labels[$0].metricType == metric && (service == nil || labels[$0].serviceName == service)
        }
    }
}

/// Small workloads shared by the tests (generated once: debug builds are slow).
enum WorkloadFixtures {
    /// Ten minutes from 09:00 UTC, where the diurnal load factor is 1 on average.
    static let tenMinutes = WorkloadCapture(
        WorkloadSpec.defaultDay.scaled(durationMs: 600_000).starting(atHour: 9))
    /// Ten minutes with ~2 restarts per service, for the counter checks.
    static let restarting = WorkloadCapture(
        WorkloadSpec(services: 6, durationMs: 600_000, requestsPerSecond: 20, seed: 7, restartsPerDay: 300))
}

extension WorkloadSpec {
    func starting(atHour hour: Int64) -> WorkloadSpec {
        var copy = self
        copy.start += hour * 3_600_000
        return copy
    }
}
