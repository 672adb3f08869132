import Foundation
import TSDB
import Testing

@testable import MetricsService

/// The seasonal expectation read from the store: the same time of day on previous days.
@Suite struct RollupSeasonalBaselineTests {
    @Test func expectsTheSameTimeOfDayFromPreviousDays() throws {
        let path = NSTemporaryDirectory() + "rollup-seasonal-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = StoreOptions()
        options.fsync = .never
        let store = try Store(directory: path, options: options)
        defer { try? store.close() }
        let day = StoreOptions.day
        let start: Int64 = 1_764_000_000_000 - 1_764_000_000_000 % day
        let labels = Labels(type: "cpu_usage_percent", service: "worker")
        // Two days, one point a minute: 50 + 40 sin(time of day) with +-1 alternating noise.
        var batch = WriteBatch()
        for i in 0..<(2 * 1440) {
            let t = start + Int64(i) * StoreOptions.minute
            let phase = 2 * Double.pi * Double(t % day) / Double(day)
            batch.append(labels, t, 50 + 40 * sin(phase) + (i % 2 == 0 ? 1 : -1))
        }
        #expect(try store.append(batch).accepted == 2880)
        let ref = try #require(store.select([.equal(Labels.metricName, "cpu_usage_percent")]).first?.ref)
        let baseline = RollupSeasonalBaseline(store: store, ref: ref)
        for hour in [3, 9, 15, 21] {
            let t = start + 2 * day + Int64(hour) * 3_600_000
            let expected = 50 + 40 * sin(2 * Double.pi * Double(hour) / 24)
            let e = try #require(baseline.expected(at: t), "hour \(hour)")
            #expect(abs(e.mean - expected) < 1.5, "hour \(hour): \(e.mean) vs \(expected)")
            #expect(e.stddev > 0.5 && e.stddev < 3, "hour \(hour): stddev \(e.stddev)")
        }
        // Before any history: no expectation (the learned profile is empty too).
        #expect(baseline.expected(at: start - day) == nil)
    }
}
