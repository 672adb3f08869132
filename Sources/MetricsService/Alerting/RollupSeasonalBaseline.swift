import Alerting
import TSDB

/// The seasonal expectation of a stored series at a time of day, read from the store's 1 m
/// rollups of the same 10 minutes on each of the previous `days` days (mean and stddev pooled
/// from their count, sum and sum of squares), so it survives restarts and needs no warm-up day
/// once the store has history. Falls back to a profile learned from the stream while the store
/// has less than a day.
struct RollupSeasonalBaseline: SeasonalBaseline {
    let store: Store
    let ref: SeriesRef
    var days = 3
    /// Width of the window read around the same time of day, ms.
    var span: Int64 = 10 * StoreOptions.minute
    private var learned = DailyProfileBaseline()

    init(store: Store, ref: SeriesRef) {
        self.store = store
        self.ref = ref
    }

    func expected(at timestamp: Int64) -> (mean: Double, stddev: Double)? {
        var count = 0.0
        var sum = 0.0
        var squares = 0.0
        for day in 1...max(1, days) {
            let center = timestamp &- Int64(day) &* StoreOptions.day
            guard let buckets = try? store.rollups(ref, resolution: StoreOptions.minute, from: center &- span / 2, to: center &+ span / 2)
            else { continue }
            for b in buckets where b.count > 0 {
                count += Double(b.count)
                sum += b.sum
                squares += b.sumOfSquares
            }
        }
        guard count >= 10 else { return learned.expected(at: timestamp) }
        let mean = sum / count
        return (mean, max(0, squares / count - mean * mean).squareRoot())
    }

    mutating func observe(timestamp: Int64, value: Double) { learned.observe(timestamp: timestamp, value: value) }
}
