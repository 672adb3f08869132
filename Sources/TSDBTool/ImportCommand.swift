import ArgumentParser
import TSDB

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import metric events from a JSON-lines file (backfill of any age).",
        discussion: """
            One event per line: {"service","type","value","timestamp","tags"}; timestamp in epoch s/ms/µs/ns \
            or RFC 3339. A bad line is reported with its line number and reason, counted, and skipped.
            """
    )

    @OptionGroup var store: StoreFlags

    @Argument(help: "The JSON-lines file ('-' is not supported: give a path).")
    var file: String

    @Option(help: "Samples per store batch.")
    var batchSize = 20_000

    @Option(name: .customLong("show-errors"), help: "How many bad lines to print (all are counted).")
    var showErrors = 20

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        let started = Console.now()
        let cpuStarted = Console.cpuSeconds()
        let db = try store.open(defaultFsync: .never)
        let importer = EventImporter(store: db, batchSize: batchSize)
        var badByReason: [String: Int] = [:]
        var shown = 0
        var lastProgress = started
        let scanner: LineScanner
        do { scanner = try LineScanner(path: file) } catch { throw CommandFailure("cannot read \(file): \(error)") }
        let total = fileSize(file)
        try scanner.forEachLine { line, number in
            if let error = importer.add(line) {
                badByReason[error.reason, default: 0] += 1
                if shown < showErrors {
                    shown += 1
                    Console.error("\(file):\(number): \(error)")
                }
            }
            if number & 0xFFFF == 0 {
                let now = Console.now()
                if now - lastProgress > 0.5 {
                    lastProgress = now
                    let done = Double(scanner.bytesRead)
                    let pct = total > 0 ? " \(Console.format(100 * done / Double(total), 1))%" : ""
                    Console.progress(
                        "importing\(pct): \(number) lines, \(importer.accepted) samples, \(Console.format(Double(importer.accepted) / (now - started) / 1e6)) M samples/s"
                    )
                }
            }
        }
        try importer.finish()
        Console.endProgress()
        try db.close()
        let seconds = Console.now() - started
        let cpu = Console.cpuSeconds() - cpuStarted
        let bad = badByReason.values.reduce(0, +)
        let summary = ImportSummary(
            lines: importer.lines, samples: importer.accepted, badLines: bad, badByReason: badByReason,
            rejected: importer.rejected.reduce(into: [:]) { $0[$1.key.rawValue] = $1.value }, seconds: seconds, cpuSeconds: cpu)
        if json {
            Console.print(summary.json)
        } else {
            Console.print(summary.text)
        }
    }
}

func fileSize(_ path: String) -> Int64 { FileSystem.posix.fileSize(path) }

struct ImportSummary {
    var lines: Int
    var samples: Int
    var badLines: Int
    var badByReason: [String: Int]
    var rejected: [String: Int]
    var seconds: Double
    var cpuSeconds: Double

    var text: String {
        var s = "imported \(samples) samples from \(lines) lines in \(Console.format(seconds)) s: "
        s += "\(Console.format(Double(samples) / max(seconds, 1e-9), 0)) samples/s, "
        s += "\(Console.format(Double(samples) / max(cpuSeconds, 1e-9), 0)) samples per CPU-second"
        if badLines > 0 {
            s +=
                "\nbad lines: \(badLines) ("
                + badByReason.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
        if !rejected.isEmpty {
            s += "\nrejected by the store: " + rejected.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        }
        return s
    }

    var json: String {
        func dict(_ d: [String: Int]) -> String {
            "{" + d.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        }
        return "{\"lines\":\(lines),\"samples\":\(samples),\"bad_lines\":\(badLines),\"bad_by_reason\":\(dict(badByReason)),"
            + "\"rejected\":\(dict(rejected)),\"seconds\":\(seconds),\"cpu_seconds\":\(cpuSeconds),"
            + "\"samples_per_sec\":\(Double(samples) / max(seconds, 1e-9)),\"samples_per_cpu_sec\":\(Double(samples) / max(cpuSeconds, 1e-9)),"
            + "\"peak_rss_mb\":\(ProcessStats.peakRSSMB())}"
    }
}
