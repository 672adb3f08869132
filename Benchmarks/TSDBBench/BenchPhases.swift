import TSDB
import Workload

#if canImport(Glibc)
    import Glibc
#endif

/// Appends the workload through `Store.append` with durable acknowledgements, then measures
/// WAL replay, compaction and bytes per sample.
struct AppendPhase {
    let spec: WorkloadSpec
    let batchSize: Int
    let directory: String

    func run(into r: inout BenchResults) throws {
        var options = StoreOptions()
        options.fsync = .always
        options.retentionRaw = 0
        let store = try Store(directory: directory, options: options)
        var generator = WorkloadGenerator(spec)
        let refs = try generator.seriesLabels.map { try store.seriesRef(for: $0) }
        var appendSeconds = 0.0
        var samples = 0
        var batch = WriteBatch(capacity: batchSize)
        let cpu0 = ProcessStats.cpuSeconds()
        var generationCPU = 0.0
        try generator.forEachColumnBatch(batchSize: batchSize) { series, timestamps, values in
            let g0 = ProcessStats.cpuSeconds()
            batch.removeAll()
            for i in 0..<series.count { batch.append(refs[Int(series[i])], timestamps[i], values[i]) }
            generationCPU += ProcessStats.cpuSeconds() - g0
            let t0 = ProcessStats.now()
            let result = try store.append(batch)
            appendSeconds += ProcessStats.now() - t0
            samples += result.accepted
        }
        r.appendCPUSeconds = ProcessStats.cpuSeconds() - cpu0 - generationCPU
        r.samples = samples
        r.appendSamplesPerSec = Double(samples) / appendSeconds
        r.appendFsyncs = store.stats.walFsyncs
        r.headSamplesAtClose = store.inventory().headSamples
        try store.close()

        let reopened = try Store(directory: directory, options: options)
        r.walReplaySeconds = reopened.openReport.replaySeconds
        r.walReplaySamples = reopened.openReport.wal.samples
        let c0 = ProcessStats.now()
        try reopened.flush()
        let report = try reopened.compact()
        r.compactionSeconds = ProcessStats.now() - c0
        r.compactionSamples = report.samplesRolledUp
        let inv = reopened.inventory()
        let byKind = try reopened.columnBytesByKind()
        try reopened.close()
        r.rawBytes = inv.rawBytes
        r.rollupBytes = inv.rollupBytes
        r.storedSamples = inv.samples
        // Index and meta bytes are shared in proportion to samples.
        let columnTotal = byKind.values.reduce(Int64(0)) { $0 + $1.bytes }
        let overhead = Double(inv.rawBytes - columnTotal)
        let events = byKind[.event] ?? (0, 0)
        var regular: (samples: Int64, bytes: Int64) = (0, 0)
        for k in [MetricKind.gauge, .counter] {
            regular.samples += byKind[k]?.samples ?? 0
            regular.bytes += byKind[k]?.bytes ?? 0
        }
        let total = Double(max(1, inv.samples))
        func perSample(_ v: (samples: Int64, bytes: Int64)) -> Double {
            v.samples == 0 ? 0 : (Double(v.bytes) + overhead * Double(v.samples) / total) / Double(v.samples)
        }
        r.bytesPerSampleEvents = perSample(events)
        r.bytesPerSampleRegular = perSample(regular)
        r.bytesPerSampleAll = Double(inv.rawBytes) / total
        r.rollupBytesPerSample = Double(inv.rollupBytes) / total
    }
}

/// Writes the workload as JSON lines and runs the real `tsdb import --json` on it in a child
/// process, whose CPU time and peak RSS are its own.
struct ImportPhase {
    let spec: WorkloadSpec
    let directory: String

    func run(into r: inout BenchResults) throws {
        let file = directory + "/day.jsonl"
        let t0 = ProcessStats.now()
        r.importLines = try JSONLinesWriter.write(WorkloadGenerator(spec), to: file)
        r.generateSeconds = ProcessStats.now() - t0
        r.importFileBytes = FileSystem.posix.fileSize(file)
        let tool = executableDirectory() + "/tsdb"
        let output = directory + "/import.json"
        let command = "'\(tool)' import --data-dir '\(directory)/import' --json '\(file)' > '\(output)'"
        guard system(command) == 0 else { throw BenchError("import failed: \(command)") }
        let text = String(decoding: try FileSystem.posix.readFile(output), as: UTF8.self)
        r.importSamplesPerSec = jsonNumber(text, "samples_per_sec") ?? 0
        r.importSamplesPerCPUSec = jsonNumber(text, "samples_per_cpu_sec") ?? 0
        r.importPeakRSSMB = jsonNumber(text, "peak_rss_mb") ?? 0
        try? FileSystem.posix.remove(file)
    }

    private func executableDirectory() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, 4095)
        let path = String(decoding: buffer[0..<max(0, n)], as: UTF8.self)
        return FileSystem.posix.parent(of: path)
    }

    private func jsonNumber(_ text: String, _ key: String) -> Double? {
        guard let range = text.range(of: "\"\(key)\":") else { return nil }
        let rest = text[range.upperBound...].prefix { "0123456789.eE+-".contains($0) }
        return Double(rest)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
