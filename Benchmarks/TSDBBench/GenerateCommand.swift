import ArgumentParser
import TSDB
import Workload

#if canImport(Glibc)
    import Glibc
#endif

/// Writes the generated workload as JSON lines (the `tsdb import` format).
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write a generated day of fleet metrics as JSON lines.")

    @Option(help: "Output file.")
    var out: String

    @Option(help: "Hours of data (default: one day).")
    var hours: Double = 24

    @Option(help: "Services in the fleet.")
    var services = 20

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 42

    func run() throws {
        let spec = WorkloadSpec.defaultDay.scaled(durationMs: Int64(hours * 3_600_000)).seeded(seed)
        var s = spec
        s.services = services
        let lines = try JSONLinesWriter.write(WorkloadGenerator(s), to: out)
        print("wrote \(lines) events to \(out)")
    }
}

enum JSONLinesWriter {
    /// Streams the workload into `path`; returns the number of lines.
    static func write(_ generator: WorkloadGenerator, to path: String) throws -> Int {
        var generator = generator
        let file = try TSDB.FileHandle(creatingAt: path)
        defer { file.close() }
        var out: [UInt8] = []
        out.reserveCapacity(8 << 20)
        var lines = 0
        try generator.forEachBatch(batchSize: 50_000) { events in
            for e in events { EventWriter.appendLine(e, to: &out) }
            lines += events.count
            if out.count >= 4 << 20 {
                try file.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try file.write(out)
        return lines
    }
}
