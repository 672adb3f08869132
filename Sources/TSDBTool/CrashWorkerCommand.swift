import ArgumentParser
import Logging
import TSDB

/// The child process of the crash tests: appends deterministic batches forever (cutting blocks
/// and compacting on the way) and prints `ack N` after batch N is durable. The test kills it
/// with SIGKILL at random moments and checks that every acknowledged batch is stored once.
struct CrashWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crash-worker", shouldDisplay: false)

    @OptionGroup var store: StoreFlags

    @Option var seriesCount = 20
    @Option var batchSamples = 200
    @Option var compactEvery = 25
    /// Milliseconds between background compactions (the service's compactor); 0: compact inline.
    @Option var backgroundCompaction: Int64 = 0

    func run() throws {
        let db = try store.open()
        var next = Int(db.sourcePositions()["crash/0"] ?? 0)
        Console.print("start \(next)")
        let compactor =
            backgroundCompaction > 0 ? Compactor(store: db, interval: backgroundCompaction, logger: Logger(label: "crash-worker")) : nil
        compactor?.start()
        while true {
            let batch = CrashWorkload.batch(number: next, seriesCount: seriesCount, samples: batchSamples)
            _ = try db.append(batch, sources: ["crash/0": Int64(next + 1)])
            Console.print("ack \(next)")
            next += 1
            if compactor == nil && next % compactEvery == 0 { _ = try db.compact() }
        }
    }
}
