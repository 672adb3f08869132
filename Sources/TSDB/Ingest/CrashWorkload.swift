/// The deterministic batches the crash tests append and then look for: batch N holds
/// `samples` samples spread over `seriesCount` series, 10 minutes of time per batch, so a run
/// crosses block boundaries and compactions.
public enum CrashWorkload {
    public static let start: Int64 = 1_764_288_000_000

    public static func labels(_ series: Int) -> Labels {
        Labels(type: series % 2 == 0 ? "api_latency_ms" : "queue_depth", service: "crash", tags: ["shard": String(series)])
    }

    public static func sample(number: Int, index: Int, samples: Int) -> (series: Int, timestamp: Int64, value: Double) {
        let t = start + Int64(number) * 600_000 + Int64(index) * (600_000 / Int64(max(samples, 1)))
        return (index, t, Double(number) * 1000 + Double(index))
    }

    public static func batch(number: Int, seriesCount: Int, samples: Int) -> WriteBatch {
        var batch = WriteBatch(capacity: samples)
        for i in 0..<samples {
            let s = sample(number: number, index: i, samples: samples)
            batch.append(labels(s.series % seriesCount), s.timestamp, s.value)
        }
        return batch
    }
}
