/// Every figure the storage benchmark prints, as a table or as JSON.
struct BenchResults {
    var hours = 0.0
    var samples = 0
    var appendSamplesPerSec = 0.0
    var appendCPUSeconds = 0.0
    var appendFsyncs = 0
    var headSamplesAtClose = 0
    var walReplaySeconds = 0.0
    var walReplaySamples = 0
    var compactionSeconds = 0.0
    var compactionSamples = 0
    var rawBytes: Int64 = 0
    var rollupBytes: Int64 = 0
    var storedSamples: Int64 = 0
    var bytesPerSampleEvents = 0.0
    var bytesPerSampleRegular = 0.0
    var bytesPerSampleAll = 0.0
    var rollupBytesPerSample = 0.0
    var entropyEvents = 0.0
    var entropyRegular = 0.0
    var importLines = 0
    var importFileBytes: Int64 = 0
    var generateSeconds = 0.0
    var importSamplesPerSec = 0.0
    var importSamplesPerCPUSec = 0.0
    var importPeakRSSMB = 0.0

    private var fields: [(String, String, String)] {
        [
            ("samples", "\(samples)", "samples in the workload"),
            ("append_samples_per_sec", f(appendSamplesPerSec, 0), "durable append, one writer (fsync per batch)"),
            ("append_samples_per_cpu_sec", f(Double(samples) / max(appendCPUSeconds, 1e-9), 0), "append samples per CPU-second"),
            ("append_fsyncs", "\(appendFsyncs)", "WAL fsyncs during the append"),
            ("import_samples_per_sec", f(importSamplesPerSec, 0), "tsdb import of the JSON lines, wall clock"),
            ("import_samples_per_cpu_sec", f(importSamplesPerCPUSec, 0), "tsdb import, samples per CPU-second (user+sys)"),
            ("import_file_bytes", "\(importFileBytes)", "size of the JSON-lines file"),
            ("bytes_per_sample_events", f(bytesPerSampleEvents, 3), "raw bytes/sample on disk, latency events"),
            ("entropy_bytes_per_sample_events", f(entropyEvents, 3), "zeroth-order entropy, latency events"),
            ("bytes_per_sample_regular", f(bytesPerSampleRegular, 3), "raw bytes/sample on disk, gauges and counters"),
            ("entropy_bytes_per_sample_regular", f(entropyRegular, 3), "zeroth-order entropy, gauges and counters"),
            ("bytes_per_sample", f(bytesPerSampleAll, 3), "raw_bytes / samples, all series"),
            ("rollup_bytes_per_sample", f(rollupBytesPerSample, 3), "rollup bytes per raw sample (1m + 1h)"),
            ("raw_bytes", "\(rawBytes)", "raw blocks after compaction"),
            ("rollup_bytes", "\(rollupBytes)", "rollup blocks"),
            ("wal_replay_sec", f(walReplaySeconds, 3), "open + WAL replay of the head left at close"),
            ("wal_replay_samples", "\(walReplaySamples)", "samples replayed"),
            ("compaction_sec", f(compactionSeconds, 3), "cut head + compact the day (rollups included)"),
            ("peak_rss_mb", f(importPeakRSSMB, 1), "peak RSS of tsdb import"),
        ]
    }

    var table: String {
        var s = "storage benchmark: \(f(hours, 1)) h of a 20-service fleet\n"
        for (k, v, d) in fields { s += k.padding(34) + v.padding(16) + d + "\n" }
        return s
    }

    var json: String { "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}" }

    private func f(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return "0" }
        var p = 1.0
        for _ in 0..<decimals { p *= 10 }
        let r = (v * p).rounded() / p
        return decimals == 0 ? String(Int64(r)) : String(r)
    }
}

extension String {
    /// Left-aligned in a column of `n` characters (at least one space after).
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
