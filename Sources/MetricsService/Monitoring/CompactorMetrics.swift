import TSDB

/// The background compactor's metrics: runs by result, a duration histogram, bytes written,
/// and the store's blocks per kind and level (which must level off in a healthy service).
public enum CompactorMetrics {
    public static func families(compactor: Compactor?, store: Store) -> [MetricFamily] {
        var out: [MetricFamily] = []
        if let compactor {
            let s = compactor.stats
            out.append(
                MetricFamily(
                    name: "tsdb_compactions_total", type: "counter", help: "Background compaction runs by result.",
                    samples: [
                        .init(labels: [("result", "success")], value: Double(s.succeeded)),
                        .init(labels: [("result", "failure")], value: Double(s.failed)),
                    ]))
            var running = 0
            var histogram: [MetricFamily.Sample] = []
            for (i, n) in s.durationCounts.enumerated() {
                running += n
                let le = i < CompactorStats.durationBounds.count ? "\(CompactorStats.durationBounds[i])" : "+Inf"
                histogram.append(.init(suffix: "_bucket", labels: [("le", le)], value: Double(running)))
            }
            histogram.append(.init(suffix: "_sum", value: s.durationSum))
            histogram.append(.init(suffix: "_count", value: Double(running)))
            out.append(
                MetricFamily(
                    name: "tsdb_compaction_duration_seconds", type: "histogram", help: "Duration of background compaction runs.",
                    samples: histogram))
            out.append(
                MetricFamily(
                    name: "tsdb_compaction_bytes_written_total", type: "counter", help: "Bytes of blocks written by compaction.",
                    samples: [.init(value: Double(s.bytesWritten))]))
            out.append(
                MetricFamily(
                    name: "tsdb_compaction_consecutive_failures", type: "gauge",
                    help: "Compaction runs that failed in a row (0 when the last one succeeded).",
                    samples: [.init(value: Double(s.consecutiveFailures))]))
        }
        let inventory = store.inventory()
        out.append(
            MetricFamily(
                name: "tsdb_blocks", type: "gauge", help: "Blocks in the store by kind (raw, or the rollup resolution) and level.",
                samples: inventory.blocksByLevel.sorted { ($0.key.kind, $0.key.level) < ($1.key.kind, $1.key.level) }.map {
                    .init(labels: [("kind", $0.key.kind), ("level", String($0.key.level))], value: Double($0.value))
                }))
        return out
    }
}
