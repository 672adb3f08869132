import Testing

@testable import Workload

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Brute-force Shannon entropy in bits of the symbols, through a Dictionary.
private func referenceEntropyBits(_ symbols: [UInt64]) -> Double {
    guard !symbols.isEmpty else { return 0 }
    var counts: [UInt64: Int] = [:]
    for s in symbols { counts[s, default: 0] += 1 }
    let n = Double(symbols.count)
    return counts.values.reduce(0) { h, c in h - Double(c) / n * log2(Double(c) / n) }
}

/// Brute-force bytes per sample following the documented convention.
private func referenceBytesPerSample(_ t: [Int64], _ v: [Double]) -> Double {
    guard t.count > 1 else { return 0 }
    let i = 1..<t.count
    let ts = referenceEntropyBits(i.map { UInt64(bitPattern: t[$0] &- t[$0 - 1]) })
    let values = referenceEntropyBits(i.map { v[$0].bitPattern })
    let deltas = referenceEntropyBits(i.map { (v[$0] - v[$0 - 1]).bitPattern })
    return (ts + min(values, deltas)) / 8
}

@Suite struct WorkloadEntropyTests {
    static let regular: [Int64] = (0..<101).map { 1_000 + Int64($0) * 10_000 }

    @Test func degenerateSeriesAreFree() {
        #expect(Entropy.bytesPerSample(timestamps: [], values: []) == 0)
        #expect(Entropy.bytesPerSample(timestamps: [5], values: [1.5]) == 0)
        #expect(Entropy.bytesPerSample(timestamps: Self.regular, values: Array(repeating: 42.5, count: 101)) == 0)
    }

    @Test func alternatingValuesCostOneBit() {
        let values = (0..<101).map { $0 % 2 == 0 ? 1.0 : 2.0 }
        #expect(abs(Entropy.bytesPerSample(timestamps: Self.regular, values: values) - 1.0 / 8) < 1e-12)
    }

    @Test func alternatingTimestampDeltasCostOneBit() {
        var t: [Int64] = [0]
        for i in 0..<100 { t.append(t[i] + (i % 2 == 0 ? 9_999 : 10_001)) }
        #expect(abs(Entropy.bytesPerSample(timestamps: t, values: Array(repeating: 0, count: 101)) - 1.0 / 8) < 1e-12)
    }

    @Test func counterUsesItsDeltas() {
        // Values all distinct (log2 100 bits) but deltas constant: 0.
        let values = (0..<101).map { 1_000 + Double($0) * 3 }
        #expect(Entropy.bytesPerSample(timestamps: Self.regular, values: values) == 0)
    }

    @Test func fourEquallyLikelyDeltasAndASkewedValue() {
        var t: [Int64] = [0]
        for i in 0..<400 { t.append(t[i] + Int64(1 + i % 4)) }
        // Values: 3 of 4 are 7, 1 of 4 is 9 (deltas have three symbols, so values win).
        let values = (0..<401).map { $0 % 4 == 0 ? 9.0 : 7.0 }
        let skewed = -(0.75 * log2(0.75) + 0.25 * log2(0.25))
        let expected = (2 + skewed) / 8
        #expect(abs(Entropy.bytesPerSample(timestamps: t, values: values) - expected) < 1e-12)
    }

    @Test(arguments: [1, 2, 3, 4])
    func matchesBruteForceOnRandomSeries(seed: UInt64) {
        var rng = WorkloadRNG(seed: seed, stream: 99)
        let n = 2_000
        var t: [Int64] = [0]
        var v: [Double] = [rng.uniform()]
        for _ in 1..<n {
            t.append(t[t.count - 1] + Int64(rng.below(seed * 20 + 1)))
            v.append(seed % 2 == 0 ? (rng.uniform() * 100).rounded() / 10 : v[v.count - 1] + Double(rng.below(5)))
        }
        let got = Entropy.bytesPerSample(timestamps: t, values: v)
        #expect(abs(got - referenceBytesPerSample(t, v)) < 1e-9)
    }

    @Test func histogramMatchesDictionaryThroughGrowth() {
        var rng = WorkloadRNG(seed: 5)
        var histogram = SymbolHistogram()
        var symbols: [UInt64] = []
        for i in 0..<50_000 {
            // Mix of heavy hitters, a long tail and adversarial high-bit-only keys.
            let s: UInt64 = i % 3 == 0 ? rng.below(4) : i % 3 == 1 ? rng.next() : rng.below(1 << 12) << 52
            symbols.append(s)
            histogram.add(s)
        }
        #expect(histogram.total == symbols.count)
        #expect(histogram.distinct == Set(symbols).count)
        #expect(abs(histogram.entropyBits() - referenceEntropyBits(symbols)) < 1e-9)
    }

    @Test func accumulatorWeightsSeriesBySampleCount() {
        var accumulator = EntropyAccumulator()
        let alternating = (0..<101).map { $0 % 2 == 0 ? 1.0 : 2.0 }  // 1/8 byte per sample
        var jittered: [Int64] = [0]
        for i in 0..<40 { jittered.append(jittered[i] + (i % 4 == 0 ? 3 : 7)) }
        let constant = Array(repeating: 0.0, count: 41)
        // Interleave two event series (series 0 and 7) and one regular series (3).
        for i in 0..<101 {
            accumulator.add(series: 0, kind: .event, timestamp: Self.regular[i], value: alternating[i])
            if i < 41 {
                accumulator.add(series: 7, kind: .event, timestamp: jittered[i], value: constant[i])
                accumulator.add(series: 3, kind: .regular, timestamp: jittered[i], value: Double(i))
            }
        }
        let r = accumulator.report()
        let first = Entropy.bytesPerSample(timestamps: Self.regular, values: alternating)
        let second = Entropy.bytesPerSample(timestamps: jittered, values: constant)
        #expect(r.samplesEvents == 142 && r.samplesRegular == 41)
        #expect(r.seriesEvents == 2 && r.seriesRegular == 1)
        #expect(abs(r.events - (first * 101 + second * 41) / 142) < 1e-12)
        #expect(abs(r.regular - Entropy.bytesPerSample(timestamps: jittered, values: (0..<41).map(Double.init))) < 1e-12)
        #expect(r.eventsValue == first * 101 / 142)
    }

    @Test func workloadEntropyHasARealisticShape() {
        var generator = WorkloadGenerator(WorkloadSpec.defaultDay.scaled(durationMs: 300_000))
        let r = generator.entropyReport()
        // Latency events: ~1 byte of timestamp deltas, 1-2.5 bytes of values; gauges far cheaper.
        #expect(r.eventsTimestamp > 0.5 && r.eventsTimestamp < 1.5)
        #expect(r.eventsValue > 1 && r.eventsValue < 2.5)
        #expect(r.regular < r.events)
        #expect(r.samplesEvents > 200_000 && r.samplesRegular == 20 * 6 * 30)
    }
}
