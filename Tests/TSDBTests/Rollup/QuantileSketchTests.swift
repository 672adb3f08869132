import Testing

@testable import TSDB

/// The exact quantile the sketch promises to approximate: sorted non-NaN values at rank
/// floor(q * (n - 1)), 0-based.
func rollupExactQuantile(_ sorted: [Double], _ q: Double) -> Double {
    sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
}

/// |estimate - exact| <= alpha * |exact|, with 1e-9 relative slack for rounding in log/exp;
/// values below the smallest normal magnitude are reported as zero.
func rollupWithinBound(_ estimate: Double, _ exact: Double, _ alpha: Double) -> Bool {
    if exact.magnitude < Double.leastNormalMagnitude { return estimate == 0 }
    return (estimate - exact).magnitude <= alpha * exact.magnitude * (1 + 1e-9)
}

let rollupQuantiles: [Double] = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]

func rollupCheckSketch(_ s: QuantileSketch, _ values: [Double], _ context: String) {
    let sorted = values.filter { !$0.isNaN }.sorted()
    #expect(s.count == Int64(sorted.count), "\(context)")
    if sorted.isEmpty {
        #expect(s.quantile(0.5) == nil)
        return
    }
    for q in rollupQuantiles {
        let exact = rollupExactQuantile(sorted, q)
        guard let est = s.quantile(q) else {
            Issue.record("nil quantile \(context)")
            return
        }
        #expect(rollupWithinBound(est, exact, s.relativeAccuracy), "\(context) q=\(q): \(est) vs \(exact)")
    }
}

@Suite struct QuantileSketchTests {
    @Test(arguments: 0..<40)
    func heavyTailedWithinBound(seed: Int) {
        var rng = RollupTestRNG(seed: UInt64(seed))
        let alpha = [0.01, 0.001, 0.05][seed % 3]
        let n = Int(rng.int(1...3000))
        let values = (0..<n).map { _ in seed % 2 == 0 ? rng.latency() : rng.nastyValue() }
        var s = QuantileSketch(relativeAccuracy: alpha)
        for v in values { s.add(v) }
        s._checkInvariants()
        rollupCheckSketch(s, values, "seed \(seed)")
    }

    @Test(arguments: 0..<20)
    func mergeIsExactAndKeepsBound(seed: Int) {
        var rng = RollupTestRNG(seed: UInt64(seed) &+ 1000)
        let values = (0..<Int(rng.int(1...2000))).map { _ in rng.nastyValue() }
        var whole = QuantileSketch()
        for v in values { whole.add(v) }
        // Split at random cut points and merge in random association.
        var parts: [QuantileSketch] = []
        var i = 0
        while i < values.count {
            let len = Int(rng.int(1...200))
            var p = QuantileSketch()
            for v in values[i..<Swift.min(values.count, i + len)] { p.add(v) }
            parts.append(p)
            i += len
        }
        var merged = QuantileSketch()
        while let p = parts.popLast() {
            if rng.chance(0.5) {
                merged.merge(p)
            } else {
                var q = p
                q.merge(merged)
                merged = q
            }
        }
        merged._checkInvariants()
        #expect(merged == whole)
        rollupCheckSketch(merged, values, "merged seed \(seed)")
    }

    @Test func specialValues() {
        var s = QuantileSketch()
        #expect(s.quantile(0.5) == nil)
        s.add(.nan)
        #expect(s.count == 0 && s.quantile(0) == nil)
        s.add(.infinity)
        s.add(-.infinity)
        s.add(0)
        s.add(-0.0)
        #expect(s.count == 4)
        #expect(s.quantile(1) == Double.greatestFiniteMagnitude)
        #expect(s.quantile(0) == -Double.greatestFiniteMagnitude)
        #expect(s.quantile(0.5) == 0)
        #expect(s.quantile(1.5) == nil && s.quantile(-0.1) == nil && s.quantile(.nan) == nil)
        s.add(Double.greatestFiniteMagnitude)
        #expect(rollupWithinBound(s.quantile(1) ?? 0, Double.greatestFiniteMagnitude, 0.01))
        s.add(Double.leastNormalMagnitude)
        s._checkInvariants()
    }

    @Test func mergeOfDifferentAccuracyDegradesGracefully() {
        var rng = RollupTestRNG(seed: 7)
        let a = (0..<500).map { _ in rng.latency() }
        let b = (0..<500).map { _ in rng.latency() }
        var s1 = QuantileSketch(relativeAccuracy: 0.01)
        var s2 = QuantileSketch(relativeAccuracy: 0.02)
        for v in a { s1.add(v) }
        for v in b { s2.add(v) }
        var empty = QuantileSketch(relativeAccuracy: 0.01)
        empty.merge(s2)
        #expect(empty == s2)
        s1.merge(s2)
        s1._checkInvariants()
        #expect(s1.relativeAccuracy == 0.01 && s1.count == 1000)
        let sorted = (a + b).sorted()
        for q in rollupQuantiles {
            #expect(rollupWithinBound(s1.quantile(q) ?? 0, rollupExactQuantile(sorted, q), 0.0302))
        }
    }
}
