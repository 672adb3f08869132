import Testing

@testable import TSDB

/// Bitwise equality of two buckets (NaN == NaN, -0.0 != 0.0); `sumTolerance` > 0 compares sum
/// and sumOfSquares relatively instead (for different summation orders).
func rollupIdentical(_ a: RollupBucket, _ b: RollupBucket, sumTolerance: Double = 0) -> Bool {
    func close(_ x: Double, _ y: Double) -> Bool {
        if sumTolerance == 0 || !x.isFinite || !y.isFinite { return x.bitPattern == y.bitPattern }
        return (x - y).magnitude <= sumTolerance * Swift.max(1, x.magnitude, y.magnitude)
    }
    return a.start == b.start && a.count == b.count && close(a.sum, b.sum) && close(a.sumOfSquares, b.sumOfSquares)
        && a.min.bitPattern == b.min.bitPattern && a.max.bitPattern == b.max.bitPattern
        && a.first.bitPattern == b.first.bitPattern && a.firstTimestamp == b.firstTimestamp
        && a.last.bitPattern == b.last.bitPattern && a.lastTimestamp == b.lastTimestamp
        && a.sketch == b.sketch
}

/// Brute-force rollup: group by floored bucket, then compute each field from its definition.
func rollupReference(_ ts: [Int64], _ vs: [Double], resolution: Int64, withSketch: Bool) -> [RollupBucket] {
    func floorStart(_ t: Int64) -> Int64 { t >= 0 ? t / resolution * resolution : -((-t + resolution - 1) / resolution) * resolution }
    var order: [Int64] = []
    var groups: [Int64: [Int]] = [:]
    for i in ts.indices {
        let s = floorStart(ts[i])
        if groups[s] == nil { order.append(s) }
        groups[s, default: []].append(i)
    }
    return order.map { s in
        let idx = groups[s] ?? []
        var b = RollupBucket(start: s, sketch: withSketch ? QuantileSketch() : nil)
        b.count = Int64(idx.count)
        b.sum = idx.reduce(0) { $0 + vs[$1] }
        b.sumOfSquares = idx.reduce(0) { $0 + vs[$1] * vs[$1] }
        let real = idx.filter { !vs[$0].isNaN }
        // IEEE minimum/maximum over the non-NaN values (-0.0 below 0.0), NaN when all are NaN.
        let below: (Double, Double) -> Bool = { $0 < $1 || ($0 == $1 && $0.sign == .minus && $1.sign == .plus) }
        b.min = real.map { vs[$0] }.min(by: below) ?? .nan
        b.max = real.map { vs[$0] }.max(by: below) ?? .nan
        let tMin = idx.map { ts[$0] }.min() ?? s
        let tMax = idx.map { ts[$0] }.max() ?? s
        let fi = idx.first { ts[$0] == tMin } ?? 0
        let li = idx.last { ts[$0] == tMax } ?? 0
        (b.first, b.firstTimestamp, b.last, b.lastTimestamp) = (vs[fi], tMin, vs[li], tMax)
        for i in idx { b.sketch?.add(vs[i]) }
        return b
    }
}

/// Sorted samples with duplicates, gaps, negative timestamps and nasty values.
func rollupRandomSeries(_ rng: inout RollupTestRNG, samples: Int) -> (ts: [Int64], vs: [Double]) {
    var t = rng.int(-10_000_000...10_000_000)
    var ts: [Int64] = []
    var vs: [Double] = []
    for _ in 0..<samples {
        switch rng.next() % 10 {
        case 0: break  // equal timestamp
        case 1: t += rng.int(60_000...7_200_000)  // gap
        default: t += rng.int(1...3_000)
        }
        ts.append(t)
        vs.append(rng.chance(0.5) ? rng.nastyValue() : Double(rng.int(-3...3)))
    }
    return (ts, vs)
}

func rollupBuild(_ ts: [Int64], _ vs: [Double], _ res: Int64, _ withSketch: Bool) -> [RollupBucket] {
    ts.withUnsafeBufferPointer { t in
        vs.withUnsafeBufferPointer { v in Rollups.build(timestamps: t, values: v, resolution: res, withSketch: withSketch) }
    }
}

@Suite struct RollupsTests {
    @Test(arguments: 0..<30)
    func buildMatchesReference(seed: Int) {
        var rng = RollupTestRNG(seed: UInt64(seed) &+ 2000)
        let (ts, vs) = rollupRandomSeries(&rng, samples: Int(rng.int(1...1500)))
        let withSketch = seed % 2 == 0
        for res in [Rollups.minute, 10_000, 1] {
            let got = rollupBuild(ts, vs, res, withSketch)
            let want = rollupReference(ts, vs, resolution: res, withSketch: withSketch)
            #expect(got.count == want.count)
            for (g, w) in zip(got, want) {
                g._checkInvariants()
                // Same summation order as the reference, so sums are bit-exact.
                #expect(rollupIdentical(g, w), "seed \(seed) res \(res) bucket \(g.start)")
                #expect(g.start % res == 0 && g.start <= g.firstTimestamp && g.lastTimestamp < g.start + res)
            }
            #expect(got.reduce(0) { $0 + $1.count } == Int64(ts.count))
        }
    }

    @Test(arguments: 0..<20)
    func hourFromMinutesEqualsHourFromRaw(seed: Int) {
        var rng = RollupTestRNG(seed: UInt64(seed) &+ 3000)
        let (ts, vs) = rollupRandomSeries(&rng, samples: Int(rng.int(1...3000)))
        let minutes = rollupBuild(ts, vs, Rollups.minute, true)
        let viaMinutes = Rollups.downsample(minutes, to: Rollups.hour)
        let direct = rollupBuild(ts, vs, Rollups.hour, true)
        #expect(viaMinutes.count == direct.count)
        for (a, b) in zip(viaMinutes, direct) {
            a._checkInvariants()
            // Sums are added per minute first, so only equal within rounding.
            #expect(rollupIdentical(a, b, sumTolerance: 1e-9), "seed \(seed) bucket \(a.start)")
            if let s = a.sketch {
                let idx = ts.indices.filter { TimeGrid.floor(ts[$0], Rollups.hour) == a.start }
                rollupCheckSketch(s, idx.map { vs[$0] }, "hour \(a.start)")
            }
        }
    }

    @Test(arguments: 0..<20)
    func lateSamplesMergeIntoExistingBuckets(seed: Int) {
        var rng = RollupTestRNG(seed: UInt64(seed) &+ 4000)
        let (ts, vs) = rollupRandomSeries(&rng, samples: Int(rng.int(2...1500)))
        // Late samples: a random subset with timestamps not shared with the rest, so the
        // merged order of equal timestamps is unambiguous.
        var late = Set<Int64>()
        for t in Set(ts) where rng.chance(0.2) { late.insert(t) }
        let a = ts.indices.filter { !late.contains(ts[$0]) }
        let b = ts.indices.filter { late.contains(ts[$0]) }
        let merged = Rollups.merge(
            rollupBuild(a.map { ts[$0] }, a.map { vs[$0] }, Rollups.minute, true),
            rollupBuild(b.map { ts[$0] }, b.map { vs[$0] }, Rollups.minute, true))
        let whole = rollupBuild(ts, vs, Rollups.minute, true)
        #expect(merged.count == whole.count)
        for (m, w) in zip(merged, whole) {
            m._checkInvariants()
            #expect(rollupIdentical(m, w, sumTolerance: 1e-9), "seed \(seed) bucket \(m.start)")
        }
    }

    @Test func tiesAndNegativeBoundaries() {
        let ts: [Int64] = [-60_001, -60_000, -1, -1, 0, 0]
        let vs: [Double] = [1, 2, 3, 4, 5, 6]
        let b = rollupBuild(ts, vs, Rollups.minute, false)
        #expect(b.map(\.start) == [-120_000, -60_000, 0])
        #expect(b[1].first == 2 && b[1].last == 4 && b[1].lastTimestamp == -1)
        #expect(b[2].first == 5 && b[2].last == 6)
        // Merge ties: a keeps first, b wins last.
        var x = RollupBucket(start: 0)
        var y = RollupBucket(start: 0)
        x.add(timestamp: 5, value: 1)
        y.add(timestamp: 5, value: 2)
        x.merge(y)
        #expect(x.first == 1 && x.last == 2 && x.count == 2)
        // All-NaN min/max stay NaN; one real value wins.
        var n = RollupBucket(start: 0)
        n.add(timestamp: 1, value: .nan)
        #expect(n.min.isNaN && n.max.isNaN && n.sum.isNaN)
        n.add(timestamp: 2, value: 3)
        #expect(n.min == 3 && n.max == 3 && n.count == 2 && n.sum.isNaN)
        // A sketch missing from one side of a merge is dropped, not left incomplete.
        var s = RollupBucket(start: 0, sketch: QuantileSketch())
        s.add(timestamp: 1, value: 1)
        s.merge(n)
        #expect(s.sketch == nil && s.count == 3)
    }
}
