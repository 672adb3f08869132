import Testing

@testable import Query

@Suite struct SeriesMathTests {
    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { ($0.isNaN && $1.isNaN) || ($0 - $1).magnitude < 1e-12 }
    }

    @Test func movingAverage() {
        let v: [Double] = [1, 2, 3, .nan, 5, .nan, .nan, .nan, 9]
        #expect(Self.same(SeriesMath.movingAverage(v, window: 2), [1, 1.5, 2.5, 3, 5, 5, .nan, .nan, 9]))
        #expect(Self.same(SeriesMath.movingAverage(v, window: 3), [1, 1.5, 2, 2.5, 4, 5, 5, .nan, 9]))
        #expect(Self.same(SeriesMath.movingAverage([4, 8], window: 0), [4, 8]))
        #expect(SeriesMath.movingAverage([], window: 3).isEmpty)
    }

    @Test func ewma() {
        #expect(Self.same(SeriesMath.ewma([.nan, 10, 20, .nan, 0], alpha: 0.5), [.nan, 10, 15, 15, 7.5]))
    }

    @Test func linearTrend() throws {
        // y = 2 + 3 per hour, with one NaN that must be ignored.
        let h: Int64 = 3_600_000
        let ts: [Int64] = [1000, 1000 + h, 1000 + 2 * h, 1000 + 3 * h]
        let fit = try #require(SeriesMath.linearTrend(timestamps: ts, values: [2, 5, .nan, 11]))
        #expect((fit.slopePerHour - 3).magnitude < 1e-9 && (fit.intercept - 2).magnitude < 1e-9)
        #expect(SeriesMath.linearTrend(timestamps: [5, 5], values: [1, 2]) == nil)
        #expect(SeriesMath.linearTrend(timestamps: [5, 6], values: [1, .nan]) == nil)
    }

    @Test func cusumFindsAShift() {
        // Mean 0.5, population stddev 0.5: z = -1 then +1. S- grows by 0.5 per step and exceeds
        // h = 2 at the fifth step (index 4), restarts (index 9); S+ likewise after the shift.
        let v = [Double](repeating: 0, count: 10) + [Double](repeating: 1, count: 10)
        #expect(SeriesMath.cusum(v, h: 2) == [4, 9, 14, 19])
        // Target 0: z = 0 then 2, S+ grows by 1.5 per step: 1.5, 3 (> 2) at index 11, 13, ...
        #expect(SeriesMath.cusum(v, target: 0, h: 2) == [11, 13, 15, 17, 19])
        #expect(SeriesMath.cusum([3, 3, .nan, 3]).isEmpty)
    }

    @Test func zScores() throws {
        let baseline: [Double] = [1, 2, 3, 4, 5]  // mean 3, population stddev sqrt(2)
        let z = try #require(SeriesMath.zScore(latest: [6, 6, .nan], baseline: baseline))
        #expect((z - 3 / 2.0.squareRoot()).magnitude < 1e-12)
        #expect(SeriesMath.zScore(latest: [], baseline: baseline) == nil)
        #expect(SeriesMath.zScore(latest: [1], baseline: [2, 2]) == nil)
        // median 3, deviations [2,1,0,1,2] -> MAD 1; latest median 7.
        let m = try #require(SeriesMath.modifiedZScore(latest: [6, 8], baseline: baseline))
        #expect((m - 0.6745 * 4).magnitude < 1e-12)
        #expect(SeriesMath.modifiedZScore(latest: [1], baseline: [3, 3, 3]) == nil)
    }
}
