import Foundation
import Testing

@testable import TSDB

/// A child process appends (cutting blocks and compacting) and is SIGKILLed at random moments;
/// after every round each acknowledged batch is stored exactly once and the store verifies.
@Suite struct CrashTests {
    static let samplesPerBatch = 200
    static let seriesCount = 20

    /// Inline compaction every 7 batches, or the background compactor every 20 ms.
    @Test(arguments: [0, 20] as [Int64])
    func sigkillAtRandomMomentsLosesNothingAndDoublesNothing(backgroundCompactionMs: Int64) throws {
        let tool = try #require(Tool.path, "build the tsdb executable first (swift build)")
        let dir = TempDirectory()
        var rng = StorageTestRNG(seed: 2024)
        var acked = -1
        var rounds = 0
        for round in 0..<(backgroundCompactionMs > 0 ? 16 : 24) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = [
                "crash-worker", "--data-dir", dir.store, "--block-duration", "1h", "--retention-raw", "0", "--max-head-mb", "1",
                "--series-count", "\(Self.seriesCount)", "--batch-samples", "\(Self.samplesPerBatch)", "--compact-every", "7",
                "--background-compaction", "\(backgroundCompactionMs)",
            ]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 30_000...400_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal, "round \(round): worker exited on its own: \(text.suffix(300))")
            for line in text.split(separator: "\n") {
                if line.hasPrefix("ack ") { acked = max(acked, Int(line.dropFirst(4)) ?? -1) }
                // A batch made durable but killed before its ack (e.g. while its append wrote a
                // block) is reported by the next round's start position: count it as known.
                if line.hasPrefix("start ") { acked = max(acked, (Int(line.dropFirst(6)) ?? 0) - 1) }
            }
            rounds += 1
            try Self.check(dir.store, acked: acked)
        }
        #expect(rounds >= 16)
        #expect(acked > 20, "the worker acknowledged too little to prove anything")
        let verify = try Tool.run(["verify", "--data-dir", dir.store])
        #expect(verify.status == 0, "\(verify.out) \(verify.err)")
    }

    /// Batches 0..<K are present once each (K > acked: one unacknowledged batch may have made
    /// it), nothing else is.
    static func check(_ path: String, acked: Int) throws {
        var options = StoreOptions()
        options.blockDuration = StoreOptions.hour
        options.retentionRaw = 0
        let store = try Store(directory: path, options: options)
        defer { try? store.close() }
        var perBatch: [Int: Int] = [:]
        for s in 0..<seriesCount {
            let got = try store.all(CrashWorkload.labels(s))
            for i in 0..<got.count {
                let batch = Int(got.values[i] / 1000)
                let index = Int(got.values[i]) % 1000
                let expected = CrashWorkload.sample(number: batch, index: index, samples: samplesPerBatch)
                #expect(expected.timestamp == got.timestamps[i] && expected.series % seriesCount == s)
                perBatch[batch, default: 0] += 1
            }
        }
        let stored = perBatch.keys.max().map { $0 + 1 } ?? 0
        #expect(stored >= acked + 1, "acknowledged batch lost: stored \(stored), acked through \(acked)")
        #expect(stored <= acked + 2, "more than one unacknowledged batch stored")
        for b in 0..<stored { #expect(perBatch[b] == samplesPerBatch, "batch \(b) has \(perBatch[b] ?? 0) samples") }
        #expect(store.sourcePositions()["crash/0"].map(Int.init) == stored)
        let report = store.verify()
        #expect(report.isClean, "\(report.problems)")
    }
}
