import ArgumentParser
import Consumer
import Foundation
import Logging
import MetricsService
import Query
import Synchronization
import TSDB
import Workload

/// `tsdb-bench service [--json]`: the service as `metrics-consumer` builds it (the builder, the
/// compactor on, 24 h raw retention by the service clock) consumes the fleet workload from the
/// embedded Kafka at accelerated time: the clock follows the produced events, so `--days`
/// simulated days pass in minutes. Measured on the store it leaves: queries at an unaligned
/// "now" (17.3 s past a minute), cold and warm; append latency while compactions run; disk
/// bytes and files per simulated day; CPU per ingested event per simulated hour.
struct ServiceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "service", abstract: "The state the service leaves, measured.")

    @Option(help: "Simulated days.")
    var days = 3

    @Option(help: "Requests per second per service (latency events), simulated time.")
    var requestsPerSecond = 2.0

    @Option(help: "Runs per query (the median is the warm figure).")
    var runs = 15

    @Option(help: "Scratch directory (removed afterwards).")
    var workDir = "/tmp/tsdb-bench-service"

    @Flag(help: "Print a JSON object instead of a table.")
    var json = false

    @Flag(help: "Keep the scratch directory (to inspect the store afterwards).")
    var keep = false

    static let partitions: Int32 = 32

    func run() async throws {
        _ = system("rm -rf '\(workDir)' && mkdir -p '\(workDir)'")
        defer { if !keep { _ = system("rm -rf '\(workDir)'") } }
        let dataDir = workDir + "/data"
        let spec = WorkloadSpec(durationMs: Int64(days) * StoreOptions.day, requestsPerSecond: requestsPerSecond)
        // The clock runs one chunk ahead of the events being produced, so none is in its future.
        let chunk = 2 * StoreOptions.minute
        let clock = SimulatedClock(spec.start + chunk)
        let cluster = try MockKafkaCluster()
        try cluster.createTopic(ConsumerBenchmark.topic, partitions: Self.partitions)
        try cluster.createTopic("ingestion_metrics", partitions: 1)

        var builder = ConsumerBenchmark.builder(cluster: cluster, dataDirectory: dataDir, name: "service")
        builder.configuration.compaction.interval = 1000
        builder.clock = clock.read
        let configuration = builder.configuration
        let running = try await builder.build()
        running.start()
        let producer = try KafkaProducer(
            config: KafkaConfig([
                "bootstrap.servers": cluster.bootstrapServers, "linger.ms": "20", "batch.num.messages": "10000", "log_level": "3",
            ]))

        var generator = WorkloadGenerator(spec)
        var produced = 0
        var line: [UInt8] = []
        var chunkEnd = spec.start + chunk
        var hourEnd = spec.start + StoreOptions.hour
        var dayEnd = spec.start + StoreOptions.day
        var cpuAtHour = ProcessStats.cpuSeconds()
        var storedAtHour = 0
        var cpuPerEvent: [Double] = []
        var diskByDay: [Int64] = []
        var filesByDay: [Int] = []
        let probe = AppendProbe(store: running.store, compactor: running.compactor, now: clock.read)
        probe.start()
        func settle() throws {
            try producer.flush(timeout: .seconds(120))
            let deadline = ProcessStats.now() + 120
            while running.consumer.stats.messages < produced && ProcessStats.now() < deadline { usleep(2_000) }
        }
        try generator.forEachBatch(batchSize: 2000) { events in
            for e in events {
                if e.timestamp >= chunkEnd {
                    try settle()
                    chunkEnd += chunk
                    clock.set(chunkEnd)
                }
                if e.timestamp >= hourEnd {
                    let stored = running.consumer.stats.stored
                    let cpu = ProcessStats.cpuSeconds()
                    cpuPerEvent.append((cpu - cpuAtHour) * 1e6 / Double(max(1, stored - storedAtHour)))
                    (cpuAtHour, storedAtHour) = (cpu, stored)
                    hourEnd += StoreOptions.hour
                }
                if e.timestamp >= dayEnd {
                    let (bytes, files) = Self.diskUsage(dataDir)
                    diskByDay.append(bytes)
                    filesByDay.append(files)
                    dayEnd += StoreOptions.day
                }
                line.removeAll(keepingCapacity: true)
                EventWriter.appendLine(e, to: &line)
                if line.last == 0x0A { line.removeLast() }
                try producer.produce(
                    topic: ConsumerBenchmark.topic, partition: Int32(produced % Int(Self.partitions)), key: nil, value: line)
                produced += 1
                if produced % 10_000 == 0 { producer.poll() }
            }
        }
        try settle()
        let end = spec.start + spec.durationMs
        clock.set(end)
        let (bytes, files) = Self.diskUsage(dataDir)
        diskByDay.append(bytes)
        filesByDay.append(files)
        let appendDuringCompaction = probe.stop()
        let compactions = running.compactor?.stats.succeeded ?? 0
        let stored = running.consumer.stats.stored
        let rejected = running.consumer.stats.rejected
        try await running.shutdown()

        // Queries on the store the service left, reopened as the service would reopen it.
        var options = configuration.store
        options.retentionClock = .wallClock
        options.clock = { end }
        let dropped = Self.dropPageCache()
        let store = try Store(directory: dataDir, options: options)
        let now = TimeGrid.floor(end - 1, StoreOptions.minute) + 17_300
        let engine = PromQLEngine(store: store, options: QueryOptions())
        let health = HealthQuery(store: store, options: QueryOptions())
        let selector = "api_latency_ms{service=\"recommendation-api\"}"
        let counter = "requests_total{service=\"recommendation-api\"}"
        let day = StoreOptions.day
        var figures: [(String, Double)] = []
        func measure(_ key: String, _ body: () throws -> Void) throws {
            let t0 = ProcessStats.now()
            try body()
            let cold = (ProcessStats.now() - t0) * 1000
            var times: [Double] = []
            for _ in 0..<max(1, runs) {
                let t = ProcessStats.now()
                try body()
                times.append((ProcessStats.now() - t) * 1000)
            }
            times.sort()
            figures.append((key + "_ms", times[times.count / 2]))
            figures.append((key + "_ms_cold", cold))
        }
        try measure("p99_24h") { _ = try engine.instant("quantile_over_time(0.99, \(selector)[24h])", at: now) }
        try measure("p99_5m_steps_24h") {
            _ = try engine.range("quantile_over_time(0.99, \(selector)[5m])", start: now - day + 300_000, end: now, step: 300_000)
        }
        try measure("rate_1m_steps_24h") { _ = try engine.range("rate(\(counter)[1m])", start: now - day + 60_000, end: now, step: 60_000) }
        let services = health.services()
        try measure("health_all_services") { for s in services { _ = try health.summaries(service: s, end: now) } }
        try store.close()

        let keys = figures.map { "\"\($0.0)\":\(Self.round3($0.1))" }
        let rest = [
            "\"batch_p99_ms_during_compaction\":\(Self.round3(appendDuringCompaction.p99Compacting))",
            "\"batch_p99_ms_idle\":\(Self.round3(appendDuringCompaction.p99Idle))",
            "\"appends_during_compaction\":\(appendDuringCompaction.compactingCount)",
            "\"disk_bytes_by_day\":[\(diskByDay.map(String.init).joined(separator: ","))]",
            "\"files_by_day\":[\(filesByDay.map(String.init).joined(separator: ","))]",
            "\"cpu_per_event_us_by_hour\":[\(cpuPerEvent.map { String(Self.round3($0)) }.joined(separator: ","))]",
            "\"events\":\(stored)", "\"rejected\":\(rejected)", "\"compactions\":\(compactions)", "\"cold_cache_dropped\":\(dropped)",
        ]
        if json {
            print("{" + (keys + rest).joined(separator: ",") + "}")
        } else {
            print("service benchmark: \(days) simulated days, \(stored) events stored, \(compactions) compactions")
            for (k, v) in figures { print(k.padding(32) + "\(Self.round3(v)) ms") }
            for r in rest { print("  " + r) }
        }
    }

    /// Bytes (files and directories, as `du -sb` counts them) and regular files under `path`.
    static func diskUsage(_ path: String) -> (Int64, Int) {
        var bytes: Int64 = 0
        var files = 0
        let fm = FileManager.default
        let walker = fm.enumerator(atPath: path)
        while let name = walker?.nextObject() as? String {
            guard let a = try? fm.attributesOfItem(atPath: path + "/" + name) else { continue }
            bytes += (a[.size] as? NSNumber)?.int64Value ?? 0
            if (a[.type] as? FileAttributeType) == .typeRegular { files += 1 }
        }
        return (bytes, files)
    }

    /// Drops the OS page cache (root only) so the cold figures read from disk.
    static func dropPageCache() -> Bool {
        sync()
        guard let f = fopen("/proc/sys/vm/drop_caches", "w") else { return false }
        defer { fclose(f) }
        return fputs("3\n", f) >= 0
    }

    static func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}

/// The benchmark's accelerated time, which the service reads as its clock.
final class SimulatedClock: Sendable {
    private let ms: Atomic<Int64>
    init(_ start: Int64) { ms = Atomic(start) }
    func set(_ t: Int64) { ms.store(t, ordering: .relaxed) }
    var read: @Sendable () -> Int64 { { [self] in ms.load(ordering: .relaxed) } }
}

/// Appends a 1000-sample batch (the service's batch size) of a probe series every 20 ms while
/// ingest runs, timing each durable append and noting whether a compaction was running.
final class AppendProbe: @unchecked Sendable {
    let store: Store
    let compactor: Compactor?
    let now: @Sendable () -> Int64
    private let done = Atomic(false)
    private let finished = Atomic(false)
    private let lock = NSLock()
    private var compacting: [Double] = []
    private var idle: [Double] = []

    init(store: Store, compactor: Compactor?, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.compactor = compactor
        self.now = now
    }

    func start() {
        Thread.detachNewThread { [self] in
            let labels = Labels(type: "bench_probe", service: "tsdb-bench", tags: [:])
            var n = 0
            var last = Int64(0)
            while !done.load(ordering: .relaxed) {
                var batch = WriteBatch(capacity: 1000)
                // Timestamps move on with the simulated clock and never repeat.
                let t = max(now(), last + 1)
                for i in 0..<1000 { batch.append(labels, t + Int64(i), Double(n + i)) }
                last = t + 999
                n += 1000
                let during = compactor?.isCompacting ?? false
                let t0 = ProcessStats.now()
                _ = try? store.append(batch)
                let ms = (ProcessStats.now() - t0) * 1000
                lock.withLock { if during || (compactor?.isCompacting ?? false) { compacting.append(ms) } else { idle.append(ms) } }
                usleep(20_000)
            }
            finished.store(true, ordering: .relaxed)
        }
    }

    func stop() -> (p99Compacting: Double, p99Idle: Double, compactingCount: Int) {
        done.store(true, ordering: .relaxed)
        while !finished.load(ordering: .relaxed) { usleep(1000) }
        return lock.withLock {
            func p99(_ a: [Double]) -> Double { a.isEmpty ? 0 : a.sorted()[min(a.count - 1, Int(Double(a.count) * 0.99))] }
            return (p99(compacting), p99(idle), compacting.count)
        }
    }
}
