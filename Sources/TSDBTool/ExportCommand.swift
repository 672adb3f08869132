import ArgumentParser
import TSDB

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every raw sample as JSON lines (the import format) to standard output."
    )

    @OptionGroup var store: StoreFlags

    @Option(help: "Only series with this metric type.")
    var type: String?

    @Option(help: "Only series of this service.")
    var service: String?

    @Option(help: "Start of the window, epoch ms (inclusive).")
    var from: Int64 = .min

    @Option(help: "End of the window, epoch ms (exclusive).")
    var to: Int64 = .max

    func run() throws {
        let db = try store.open()
        var matchers: [LabelMatcher] = []
        if let type { matchers.append(.equal(Labels.metricName, type)) }
        if let service { matchers.append(.equal(Labels.service, service)) }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        for info in db.select(matchers) {
            let columns = try db.samples(info.ref, from: from, to: to)
            for i in 0..<columns.count {
                EventWriter.appendLine(
                    MetricEvent(labels: info.labels, timestamp: columns.timestamps[i], value: columns.values[i]), to: &out)
                if out.count >= 1 << 20 {
                    Console.writeStdout(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        Console.writeStdout(out)
        try db.close()
    }
}
