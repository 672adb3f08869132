import Foundation
import Testing

@testable import Alerting

@Suite struct DailyProfileBaselineTests {
    @Test func learnsTheDailyShapeFromPreviousDaysOnly() throws {
        var p = DailyProfileBaseline()
        let day = DailyProfileBaseline.day
        func shape(_ t: Int64) -> Double { 50 + 20 * sin(2 * Double.pi * Double(t % day) / Double(day)) }
        var rng = DetectionRNG(seed: 1)
        var t: Int64 = 0
        while t < day {
            #expect(p.expected(at: t) == nil)
            p.observe(timestamp: t, value: shape(t) + rng.normal())
            t += 60_000
        }
        var worst = 0.0
        var sdSum = 0.0
        while t < 2 * day {
            let e = try #require(p.expected(at: t))
            worst = max(worst, abs(e.mean - shape(t)))
            sdSum += e.stddev
            p.observe(timestamp: t, value: 1000)  // today's values never leak into today's expectation
            t += 60_000
        }
        #expect(worst < 1.5)
        #expect(abs(sdSum / 1440 - 1) < 0.15)  // within-bucket noise σ = 1 (5-point buckets read low)
    }

    @Test func incidentsAreWinsorisedBeforeTheyAreLearned() throws {
        var p = DailyProfileBaseline(buckets: 24, alpha: 0.5, clip: 3)
        var rng = DetectionRNG(seed: 2)
        let day = DailyProfileBaseline.day
        for i in 0..<(3 * 24 * 60) {
            let t = Int64(i) * 60_000
            let incident = t >= 2 * day && t < 2 * day + 3_600_000
            p.observe(timestamp: t, value: 10 + rng.normal() + (incident ? 100 : 0))
        }
        let e = try #require(p.expected(at: 3 * day + 1_800_000))
        #expect(e.mean < 10 + 0.5 * 3 * 1.3)
    }
}
