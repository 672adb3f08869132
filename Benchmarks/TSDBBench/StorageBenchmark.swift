import ArgumentParser
import TSDB
import Workload

#if canImport(Glibc)
    import Glibc
#endif

/// `tsdb-bench storage [--json]`: durable append throughput (one writer), `tsdb import`
/// throughput from JSON lines, bytes per sample after compaction (events and regular series
/// apart, against the data's zeroth-order entropy), WAL replay, compaction time, peak RSS.
struct StorageBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "storage", abstract: "Storage engine benchmark.")

    @Option(help: "Hours of the generated fleet day.")
    var hours: Double = 24

    @Option(help: "Samples per append batch.")
    var batchSize = 50_000

    @Option(help: "Scratch directory (removed afterwards).")
    var workDir = "/tmp/tsdb-bench"

    @Flag(help: "Skip the JSON-lines import phase (it writes a ~13 GB file for a full day).")
    var skipImport = false

    @Flag(help: "Print a JSON object instead of a table.")
    var json = false

    func run() throws {
        let spec = WorkloadSpec.defaultDay.scaled(durationMs: Int64(hours * 3_600_000))
        _ = system("rm -rf '\(workDir)' && mkdir -p '\(workDir)'")
        var results = BenchResults()
        results.hours = hours

        let entropy = WorkloadGenerator(spec).entropyReportCopy()
        results.entropyEvents = entropy.events
        results.entropyRegular = entropy.regular

        try AppendPhase(spec: spec, batchSize: batchSize, directory: workDir + "/append").run(into: &results)
        if !skipImport { try ImportPhase(spec: spec, directory: workDir).run(into: &results) }
        _ = system("rm -rf '\(workDir)'")
        print(json ? results.json : results.table)
    }
}

extension WorkloadGenerator {
    func entropyReportCopy() -> EntropyReport {
        var g = self
        return g.entropyReport()
    }
}
