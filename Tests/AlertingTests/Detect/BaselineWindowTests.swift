import Testing

@testable import Alerting

@Suite struct BaselineWindowTests {
    private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }

    @Test func statsMatchBruteForceOverTimeWindow() {
        var rng = DetectionRNG(seed: 3)
        var w = BaselineWindow(window: 3_600_000, capacity: 1024, recentCount: 20)
        var kept: [(t: Int64, v: Double)] = []
        var t: Int64 = 1_700_000_000_000
        for i in 0..<3000 {
            t += 60_000 + Int64(rng.uniform(-5000, 5000))
            let v = 1000 + 0.01 * Double(i) + rng.normal() * 3
            w.evict(now: t)
            kept.removeAll { $0.t <= t - 3_600_000 }
            #expect(w.count == kept.count)
            if kept.count > 3 {
                let n = Double(kept.count)
                let mean = kept.map(\.v).reduce(0, +) / n
                let sd = (kept.map { ($0.v - mean) * ($0.v - mean) }.reduce(0, +) / (n - 1)).squareRoot()
                let level = w.level()
                #expect(close(level.mean, mean) && close(level.stddev, sd))
                // Least squares at t, in seconds.
                let xs = kept.map { Double($0.t - t) / 1000 }
                let mx = xs.reduce(0, +) / n
                let sxx = xs.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
                let sxy = zip(xs, kept).map { ($0 - mx) * ($1.v - mean) }.reduce(0, +)
                let slope = sxy / sxx
                let sse = zip(xs, kept).map {
                    let e = $1.v - (mean + slope * ($0 - mx))
                    return e * e
                }.reduce(0, +)
                let trend = w.trend(at: t)
                #expect(abs(trend.mean - (mean - slope * mx)) < 1e-6)
                #expect(abs(trend.stddev - (sse / (n - 2)).squareRoot()) < 1e-6)
                if kept.count >= 20 {
                    let r = kept.suffix(20).map(\.v)
                    let rm = r.reduce(0, +) / 20
                    let rv = r.map { ($0 - rm) * ($0 - rm) }.reduce(0, +) / 19
                    #expect(abs((w.recentVariance() ?? -1) - rv) < 1e-6)
                }
            }
            w.append(t: t, raw: v, value: v)
            kept.append((t, v))
        }
    }

    @Test func denseSeriesIsSubsampledToCapacity() {
        var w = BaselineWindow(window: 60_000, capacity: 64, recentCount: 8)
        for i in 0..<10_000 {
            let t = Int64(i) * 100  // 10 points per second
            w.evict(now: t)
            if w.keeps(t) { w.append(t: t, raw: Double(i), value: Double(i)) }
            #expect(w.count <= 64)
        }
        #expect(w.count >= 60)
    }

    @Test func rebuildRecomputesResiduals() {
        var w = BaselineWindow(window: 3_600_000, capacity: 128, recentCount: 8)
        for i in 0..<50 { w.append(t: Int64(i) * 60_000, raw: Double(i), value: Double(i)) }
        w.rebuild { _, raw in raw - 10 }
        #expect(close(w.level().mean, 24.5 - 10))
        #expect(w.sorted.median() == 14.5)
    }
}
