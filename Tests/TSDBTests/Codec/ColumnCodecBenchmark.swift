import Foundation
import Testing

@testable import TSDB

/// Release-mode size and speed figures, not a test: run with
/// `CODEC_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ColumnCodecBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CODEC_BENCH"] != nil))
struct ColumnCodecBenchmark {
    @Test func printFigures() throws {
        var rows: [(String, [Int64], [Double])] = []
        for rate in [8.0, 20, 50] {
            let (ts, vs) = CodecSeries.latency(rate: rate, seconds: 7200, seed: UInt64(rate))
            rows.append(("latency \(Int(rate))/s 2h", ts, vs))
        }
        for (name, counter, jitter) in [
            ("gauge 10s jitter", false, true), ("gauge 10s exact", false, false),
            ("counter 10s exact", true, false), ("counter 10s jitter", true, true),
        ] {
            // 50 blocks of 720 samples, concatenated per column for the timing loop.
            var ts: [Int64] = []
            var vs: [Double] = []
            for seed in 0..<50 {
                let block = CodecSeries.regular(counter: counter, jitter: jitter, seed: UInt64(seed))
                ts += block.timestamps
                vs += block.values
            }
            rows.append((name + " 50x720", ts, vs))
        }
        print(
            "| series | samples | ts B/s | values B/s | total B/s | entropy B/s | ratio | ts enc M/s | ts dec M/s | val enc M/s | val dec M/s |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for (name, ts, vs) in rows {
            let blocks = name.contains("50x720") ? 50 : 1
            let per = ts.count / blocks
            var tsBytes = 0
            var vsBytes = 0
            var entropy = 0.0
            for b in 0..<blocks {
                let t = Array(ts[b * per..<(b + 1) * per])
                let v = Array(vs[b * per..<(b + 1) * per])
                tsBytes += ColumnCodec.encodeTimestamps(t).count
                vsBytes += ColumnCodec.encodeValues(v).count
                entropy += codecEntropyBits(timestamps: t, values: v) / 8
            }
            let n = Double(ts.count)
            let chunks = (0..<blocks).map { b in (Array(ts[b * per..<(b + 1) * per]), Array(vs[b * per..<(b + 1) * per])) }
            let encodedT = chunks.map { ColumnCodec.encodeTimestamps($0.0) }
            let encodedV = chunks.map { ColumnCodec.encodeValues($0.1) }
            let tEnc = rate(n) { for c in chunks { _ = ColumnCodec.encodeTimestamps(c.0) } }
            let tDec = rate(n) { for e in encodedT { _ = try? ColumnCodec.decodeTimestamps(e, count: per) } }
            let vEnc = rate(n) { for c in chunks { _ = ColumnCodec.encodeValues(c.1) } }
            let vDec = rate(n) { for e in encodedV { _ = try? ColumnCodec.decodeValues(e, count: per) } }
            let cells =
                [
                    Double(tsBytes) / n, Double(vsBytes) / n, Double(tsBytes + vsBytes) / n, entropy / n,
                    Double(tsBytes + vsBytes) / entropy,
                ].map { String(format: "%.3f", $0) }
                + [tEnc, tDec, vEnc, vDec].map { String(format: "%.0f", $0) }
            print("| \(name) | \(ts.count) | " + cells.joined(separator: " | ") + " |")
        }
    }

    /// Best of 5 runs of `body`, in million samples per second.
    private func rate(_ samples: Double, _ body: () -> Void) -> Double {
        var best = Duration.seconds(1000)
        for _ in 0..<5 {
            let start = ContinuousClock.now
            body()
            best = min(best, ContinuousClock.now - start)
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18
        return samples / seconds / 1e6
    }
}
