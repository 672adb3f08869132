import Foundation
import Testing

@testable import TSDB

func rollupEncodeDecode(_ buckets: [RollupBucket]) throws -> [RollupBucket] {
    let bytes = RollupCodec.encode(buckets)
    return try bytes.withUnsafeBytes { raw throws(DecodeError) in try RollupCodec.decode(raw, count: buckets.count) }
}

/// A latency series: ~50 events per minute at random times, values in ms with 3 decimals
/// (microsecond clocks) unless `fullPrecision`.
func rollupLatencySeries(_ rng: inout RollupTestRNG, minutes: Int64, fullPrecision: Bool) -> (ts: [Int64], vs: [Double]) {
    var ts: [Int64] = []
    var vs: [Double] = []
    var t: Int64 = 1_700_000_000_000
    while t < 1_700_000_000_000 + minutes * 60_000 {
        t += rng.int(1...2_400)
        ts.append(t)
        let v = rng.latency()
        vs.append(fullPrecision ? v : (v * 1000).rounded() / 1000)
    }
    return (ts, vs)
}

/// A gauge scraped every 10 s with a little jitter: a random walk with 2 decimals.
func rollupGaugeSeries(_ rng: inout RollupTestRNG, minutes: Int64) -> (ts: [Int64], vs: [Double]) {
    var ts: [Int64] = []
    var vs: [Double] = []
    var level = 5_000.0
    for i in 0..<(minutes * 6) {
        ts.append(1_700_000_003_000 + i * 10_000 + rng.int(0...20))
        level = Swift.max(0, level + Double(rng.int(-300...300)))
        vs.append(level / 100)
    }
    return (ts, vs)
}

@Suite struct RollupCodecTests {
    @Test(arguments: 0..<30)
    func roundTripIsBitExact(seed: Int) throws {
        var rng = RollupTestRNG(seed: UInt64(seed) &+ 5000)
        let (ts, vs) = rollupRandomSeries(&rng, samples: Int(rng.int(1...1500)))
        var buckets = rollupBuild(ts, vs, [Rollups.minute, 1, 10_000][seed % 3], seed % 2 == 0)
        if seed % 5 == 1 {
            // Mixed presence and mixed accuracies.
            for i in buckets.indices where rng.chance(0.3) { buckets[i].sketch = nil }
            for i in buckets.indices where rng.chance(0.3) && buckets[i].sketch != nil {
                var s = QuantileSketch(relativeAccuracy: 0.02)
                s.merge(buckets[i].sketch ?? QuantileSketch())
                buckets[i].sketch = s
            }
        }
        let back = try rollupEncodeDecode(buckets)
        #expect(back.count == buckets.count)
        for (a, b) in zip(buckets, back) {
            #expect(rollupIdentical(a, b), "seed \(seed) bucket \(a.start)")
            if let s = b.sketch {
                let idx = ts.indices.filter { TimeGrid.floor(ts[$0], Rollups.minute) == b.start }
                if seed % 3 == 0 && seed % 5 != 1 { rollupCheckSketch(s, idx.map { vs[$0] }, "decoded \(b.start)") }
            }
        }
    }

    @Test func edgeCases() throws {
        #expect(try rollupEncodeDecode([]).isEmpty)
        var one = RollupBucket(start: -60_000)
        #expect(try rollupEncodeDecode([one]).elementsEqual([one], by: { rollupIdentical($0, $1) }))
        one.add(timestamp: -1, value: -0.0)
        one.add(timestamp: -1, value: .infinity)
        let back = try rollupEncodeDecode([one, RollupBucket(start: Int64.max - 1)])
        #expect(rollupIdentical(back[0], one) && back[1].count == 0)
        let bytes = RollupCodec.encode([one])
        #expect(throws: DecodeError.self) { try bytes.withUnsafeBytes { raw throws(DecodeError) in try RollupCodec.decode(raw, count: 2) } }
    }

    /// Repeating non-decimal values: the raw columns compress, so the body is stored as LZ4.
    static func compressibleBuckets() -> [RollupBucket] {
        (0..<300).map { i in
            var b = RollupBucket(start: Int64(i) * 60_000, sketch: QuantileSketch())
            for j in 0..<3 { b.add(timestamp: Int64(i) * 60_000 + Int64(j) * 1_000, value: Double(i % 3 + j) / 3) }
            return b
        }
    }

    @Test func lz4BodyRoundTrips() throws {
        let buckets = Self.compressibleBuckets()
        let bytes = RollupCodec.encode(buckets)
        #expect(bytes[1] == RollupCodec.flagLZ4)
        #expect(try rollupEncodeDecode(buckets).elementsEqual(buckets, by: { rollupIdentical($0, $1) }))
    }

    @Test func randomBytesNeverCrash() {
        var rng = RollupTestRNG(seed: 99)
        for round in 0..<3000 {
            var bytes = (0..<Int(rng.int(0...200))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Give most inputs a valid version and flags so the decoder gets past the header.
            if bytes.count > 2 && round % 4 != 0 {
                bytes[0] = 1
                bytes[1] &= 1
                bytes[2] = UInt8(rng.int(1...12))
            }
            let n = bytes.count > 2 ? Int(bytes[2]) : 0
            if let got = try? bytes.withUnsafeBytes({ raw throws(DecodeError) in try RollupCodec.decode(raw, count: n) }) {
                for b in got { b._checkInvariants() }
            }
        }
    }

    @Test(arguments: 0..<6)
    func bitFlipsAndTruncationsNeverCrash(seed: Int) {
        var rng = RollupTestRNG(seed: UInt64(seed) &+ 6000)
        let (ts, vs) = seed < 3 ? rollupLatencySeries(&rng, minutes: 20, fullPrecision: seed == 0) : rollupRandomSeries(&rng, samples: 300)
        let buckets = seed == 5 ? Self.compressibleBuckets() : rollupBuild(ts, vs, Rollups.minute, seed % 2 == 0)
        let good = RollupCodec.encode(buckets)
        func decodes(_ bytes: [UInt8]) -> [RollupBucket]? {
            try? bytes.withUnsafeBytes { raw throws(DecodeError) in try RollupCodec.decode(raw, count: buckets.count) }
        }
        for cut in 0..<good.count { #expect(decodes(Array(good[..<cut])) == nil) }
        for _ in 0..<1500 {
            var bad = good
            for _ in 0..<Int(rng.int(1...3)) {
                let i = Int(rng.int(0...Int64(bad.count - 1)))
                bad[i] ^= 1 << UInt8(rng.int(0...7))
            }
            for b in decodes(bad) ?? [] { b._checkInvariants() }
        }
    }

    @Test func encodedSizes() throws {
        var rng = RollupTestRNG(seed: 1)
        let hour: Int64 = 60
        var report: [String] = []
        for (name, series, sketch) in [
            ("latency ~50/min, 3 decimals", rollupLatencySeries(&rng, minutes: hour, fullPrecision: false), true),
            ("latency ~50/min, full precision", rollupLatencySeries(&rng, minutes: hour, fullPrecision: true), true),
            ("gauge every 10 s, 2 decimals", rollupGaugeSeries(&rng, minutes: hour), false),
        ] {
            let m = rollupBuild(series.ts, series.vs, Rollups.minute, sketch)
            let h = Rollups.downsample(m, to: Rollups.hour)
            let mBytes = RollupCodec.encode(m).count
            let hBytes = RollupCodec.encode(h).count
            #expect(try rollupEncodeDecode(m).elementsEqual(m, by: { rollupIdentical($0, $1) }))
            let perBucket = Double(mBytes) / Double(m.count)
            let bare = RollupCodec.encode(
                m.map {
                    var b = $0
                    b.sketch = nil
                    return b
                }
            ).count
            report.append(
                String(
                    format: "%@: %d samples, 1m: %d buckets %.1f B/bucket (%.1f without sketch) %.2f B/sample; 1h: %d B",
                    name, series.ts.count, m.count, perBucket, Double(bare) / Double(m.count),
                    Double(mBytes) / Double(series.ts.count), hBytes))
            #expect(perBucket < (sketch ? 100 : 30), "\(name)")
        }
        print(report.joined(separator: "\n"))
    }
}
