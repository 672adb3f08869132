import ArgumentParser
import Query
import TSDB
import Workload

#if canImport(Glibc)
    import Glibc
#endif

/// `tsdb-bench query [--json]`: latency of the dashboard and trend queries on the default day,
/// through rollups (the planner's choice) and forced to raw data, medians of repeated runs.
struct QueryBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Query engine benchmark.")

    @Option(help: "Hours of the generated fleet day.")
    var hours: Double = 24

    @Option(help: "Runs per query (the median is reported).")
    var runs = 15

    @Option(help: "Scratch directory (removed afterwards).")
    var workDir = "/tmp/tsdb-bench-query"

    @Flag(help: "Print a JSON object instead of a table.")
    var json = false

    @Flag(help: "Skip the raw-only comparison runs.")
    var skipRawOnly = false

    func run() throws {
        _ = system("rm -rf '\(workDir)' && mkdir -p '\(workDir)'")
        defer { _ = system("rm -rf '\(workDir)'") }
        let spec = WorkloadSpec.defaultDay.scaled(durationMs: Int64(hours * 3_600_000))
        let store = try BenchStore.load(spec: spec, directory: workDir + "/store")
        let end = spec.start + spec.durationMs
        let service = "recommendation-api"
        let selector = "api_latency_ms{service=\"\(service)\"}"
        let counter = "requests_total{service=\"\(service)\"}"
        let day = Int64(hours * 3_600_000)
        let dayText = StoreOptions.formatDuration(day)
        var rows: [(key: String, ms: Double, note: String)] = []
        func measure(_ key: String, _ note: String, _ body: () throws -> Void) throws {
            let (cold, warm) = try timings(body)
            rows.append((key, warm, note))
            rows.append((String(key.dropLast(3)) + "_cold_ms", cold, "first run of the above (nothing cached)"))
        }
        for rawOnly in skipRawOnly ? [false] : [false, true] {
            let prefix = rawOnly ? "raw_only_" : ""
            let options = QueryOptions(rawOnly: rawOnly)
            let engine = PromQLEngine(store: store, options: options)
            let health = HealthQuery(store: store, options: options)
            let services = health.services()
            if !json {
                let h = try health.summaries(service: service, end: end)
                print(
                    prefix + "health resolutions: "
                        + h.map { "\($0.window / 60_000)m: \($0.resolutions.map(\.description).sorted())" }.joined(separator: ", "))
                let (_, stats) = try engine.instant("quantile_over_time(0.99, \(selector)[\(dayText)])", at: end)
                print(prefix + "p99 24h resolutions: \(stats.resolutions.map(\.description).sorted()), bound \(stats.quantileErrorBound)")
            }
            try measure(prefix + "p99_24h_ms", "quantile_over_time(0.99, ...[24h]) of one service") {
                _ = try engine.instant("quantile_over_time(0.99, \(selector)[\(dayText)])", at: end)
            }
            try measure(prefix + "p99_5m_steps_24h_ms", "p99 in 5-minute steps over 24 h (288 steps)") {
                _ = try engine.range("quantile_over_time(0.99, \(selector)[5m])", start: end - day + 300_000, end: end, step: 300_000)
            }
            try measure(prefix + "rate_1m_steps_24h_ms", "counter rate in 1-minute steps over 24 h (1440 steps)") {
                _ = try engine.range("rate(\(counter)[1m])", start: end - day + 60_000, end: end, step: 60_000)
            }
            try measure(prefix + "event_rate_1m_steps_24h_ms", "event rate (events/s) in 1-minute steps over 24 h") {
                _ = try engine.range("sum(count_over_time(\(selector)[1m])) / 60", start: end - day + 60_000, end: end, step: 60_000)
            }
            try measure(prefix + "health_all_services_ms", "health of all \(services.count) services for 1m/5m/1h") {
                for s in services { _ = try health.summaries(service: s, end: end) }
            }
        }
        try store.close()
        if json {
            print("{" + rows.map { "\"\($0.key)\":\(round3($0.ms))" }.joined(separator: ",") + "}")
        } else {
            print("query benchmark: \(hours) h of a 20-service fleet, median of \(runs) runs")
            for r in rows { print(r.key.padding(36) + "\(round3(r.ms)) ms".padding(14) + r.note) }
        }
    }

    /// The first (cold: nothing decoded or cached yet) run and the median of `runs` more.
    private func timings(_ body: () throws -> Void) throws -> (cold: Double, median: Double) {
        let c0 = ProcessStats.now()
        try body()
        let cold = (ProcessStats.now() - c0) * 1000
        var times: [Double] = []
        for _ in 0..<runs {
            let t0 = ProcessStats.now()
            try body()
            times.append((ProcessStats.now() - t0) * 1000)
        }
        times.sort()
        return (cold, times[times.count / 2])
    }

    private func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}

/// The generated day appended with refs, cut and compacted, so rollups exist.
enum BenchStore {
    static func load(spec: WorkloadSpec, directory: String) throws -> Store {
        var options = StoreOptions()
        options.fsync = .never
        let store = try Store(directory: directory, options: options)
        var generator = WorkloadGenerator(spec)
        let refs = try generator.seriesLabels.map { try store.seriesRef(for: $0) }
        var batch = WriteBatch(capacity: 100_000)
        try generator.forEachColumnBatch(batchSize: 100_000) { series, timestamps, values in
            batch.removeAll()
            for i in 0..<series.count { batch.append(refs[Int(series[i])], timestamps[i], values[i]) }
            _ = try store.append(batch)
        }
        try store.flush()
        _ = try store.compact()
        return store
    }
}
