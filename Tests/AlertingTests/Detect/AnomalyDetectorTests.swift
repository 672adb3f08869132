import Testing

@testable import Alerting

@Suite struct AnomalyDetectorTests {
    private func noisy(_ n: Int, seed: UInt64) -> [Double] {
        var rng = DetectionRNG(seed: seed)
        return (0..<n).map { _ in 100 + 5 * rng.normal() }
    }

    @Test func warmsUpThenScoresInRange() {
        var d = AnomalyDetector()
        let xs = noisy(500, seed: 1)
        for (i, x) in xs.enumerated() {
            let s = d.score(timestamp: Int64(i) * 60_000, value: x)
            if i < 30 { #expect(s.isWarmingUp && s.score == 0) } else { #expect(!s.isWarmingUp) }
            #expect(s.score >= 0 && s.score < 1)
        }
    }

    @Test func spikeScoresHighAndNormalPointsLow() {
        var d = AnomalyDetector()
        let xs = noisy(300, seed: 2)
        var normal: [Double] = []
        for (i, x) in xs.enumerated() {
            let s = d.score(timestamp: Int64(i) * 60_000, value: x)
            if i >= 30 { normal.append(s.score) }
        }
        let spike = d.score(timestamp: 300 * 60_000, value: 100 + 10 * 5)
        #expect(spike.score > 0.95 && spike.zScore > 8 && spike.modifiedZScore > 8)
        #expect(normal.sorted()[normal.count / 2] < 0.5)
    }

    @Test func levelShiftIsACUSUMChange() {
        var d = AnomalyDetector(seasonal: nil)
        let xs = noisy(200, seed: 3)
        for (i, x) in xs.enumerated() { _ = d.score(timestamp: Int64(i) * 60_000, value: x) }
        var cusum: [Double] = []
        for i in 200..<206 { cusum.append(d.score(timestamp: Int64(i) * 60_000, value: 100 + 4 * 5).cusum) }
        #expect(cusum.suffix(3).allSatisfy { $0 >= 1 })
    }

    @Test func varianceIncreaseRaisesTheRatio() {
        var d = AnomalyDetector(seasonal: nil)
        var rng = DetectionRNG(seed: 4)
        for i in 0..<400 { _ = d.score(timestamp: Int64(i) * 60_000, value: 100 + 2 * rng.normal()) }
        var last = AnomalyScore.warmingUp
        for i in 400..<440 { last = d.score(timestamp: Int64(i) * 60_000, value: 100 + 2 * 2 * rng.normal()) }
        #expect(last.varianceRatio > 2)
    }

    @Test func constantSeriesAndBadPointsDoNotTrap() {
        var d = AnomalyDetector()
        for i in 0..<100 { #expect(d.score(timestamp: Int64(i) * 60_000, value: 7).score == 0) }
        #expect(d.score(timestamp: 100 * 60_000, value: 8).score > 0.99)
        #expect(d.score(timestamp: 101 * 60_000, value: .nan).score == 0)
        #expect(d.score(timestamp: 50 * 60_000, value: 7).score == 0)  // older than the last point
    }

    @Test func seasonalExpectationRemovesTheCycle() {
        // A provider that knows the cycle exactly: residuals are pure noise.
        let provider = ClosureSeasonalBaseline { t in (mean: Double(t / 60_000 % 100), stddev: 1) }
        var d = AnomalyDetector(seasonal: provider)
        var rng = DetectionRNG(seed: 5)
        var high = 0
        for i in 0..<2000 {
            let t = Int64(i) * 60_000
            let s = d.score(timestamp: t, value: Double(t / 60_000 % 100) + rng.normal())
            #expect(i < 30 || s.seasonalZScore != nil)
            if s.score > 0.8 { high += 1 }
        }
        #expect(high < 10)
    }
}
