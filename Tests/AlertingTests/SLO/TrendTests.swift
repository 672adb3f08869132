import TSDB
import Testing

@testable import Alerting

@Suite struct TrendTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    /// Straightforward least squares over (days since t0, value), as a reference.
    static func reference(_ points: [Sample]) -> (slope: Double, intercept: Double) {
        let t0 = points[0].timestamp
        let xs = points.map { Double($0.timestamp - t0) / Double(day) }
        let ys = points.map(\.value)
        let n = Double(points.count)
        let sx = xs.reduce(0, +)
        let sy = ys.reduce(0, +)
        let sxx = xs.map { $0 * $0 }.reduce(0, +)
        let sxy = zip(xs, ys).map { $0 * $1 }.reduce(0, +)
        let slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
        return (slope, (sy - slope * sx) / n)
    }

    @Test func exactLine() throws {
        // 100 + 5 per day, hourly for two days.
        let points = (0..<48).map { i in Sample(sloTestNow + Int64(i) * Self.hour, 100 + 5 * Double(i) / 24) }
        let trend = try #require(Trend.fit(points))
        #expect(sloClose(trend.slopePerDay, 5))
        #expect(sloClose(trend.current, 100 + 5 * 47.0 / 24))
        #expect(sloClose(trend.rSquared, 1))
        #expect((trend.slopeStandardError ?? 1) < 1e-9)
        #expect(trend.referenceTime == sloTestNow + 47 * Self.hour)
        #expect(sloClose(trend.daysUntil(200), (200 - trend.current) / 5))
        #expect(trend.daysUntil(50, direction: .below) == nil)  // moving away
        #expect(trend.daysUntil(105) == 0)  // already past
        #expect(sloClose(trend.value(at: sloTestNow), 100))
    }

    @Test func fallingLineReachesLowerLimit() throws {
        // Free disk: 500 GB, -20 GB per day; 100 GB reached 20 days after the first point.
        let points = (0..<10).map { i in Sample(sloTestNow + Int64(i) * Self.day, 500 - 20 * Double(i)) }
        let trend = try #require(Trend.fit(points))
        #expect(sloClose(trend.daysUntil(100, direction: .below), 11))
        #expect(trend.daysUntil(1000) == nil)
    }

    @Test func flatLineHasNoHorizon() throws {
        let trend = try #require(Trend.fit((0..<5).map { Sample(Int64($0) * Self.hour, 7) }))
        #expect(trend.slopePerDay == 0)
        #expect(trend.rSquared == nil)
        #expect(trend.daysUntil(10) == nil)
    }

    @Test func degenerateInputs() {
        #expect(Trend.fit([]) == nil)
        #expect(Trend.fit([Sample(0, 1)]) == nil)
        #expect(Trend.fit([Sample(5, 1), Sample(5, 2)]) == nil)
        #expect(Trend.fit([Sample(0, 1), Sample(1, .nan)]) == nil)
    }

    @Test(arguments: [11 as UInt64, 12, 13])
    func noisyLineMatchesReference(seed: UInt64) throws {
        // 1000 + 20 per day + N(0, 5), hourly for a week.
        var rng = SLOTestRNG(seed: seed)
        let points = (0..<168).map { i in Sample(sloTestNow + Int64(i) * Self.hour, 1000 + 20 * Double(i) / 24 + 5 * rng.normal()) }
        let trend = try #require(Trend.fit(points))
        let ref = Self.reference(points)
        #expect(sloClose(trend.slopePerDay, ref.slope, 1e-6))
        #expect(sloClose(trend.value(at: points[0].timestamp), ref.intercept, 1e-9))
        let se = try #require(trend.slopeStandardError)
        #expect((trend.slopePerDay - 20).magnitude < 4 * se)
        #expect(!trend.isFlat())
        #expect(try #require(trend.daysUntil(2000)) > 40)
    }

    @Test func pureNoiseIsFlat() throws {
        var rng = SLOTestRNG(seed: 99)
        let points = (0..<168).map { i in Sample(Int64(i) * Self.hour, 50 + rng.normal()) }
        let trend = try #require(Trend.fit(points))
        #expect(trend.isFlat())
        #expect(trend.daysUntil(100) == nil)
    }

    @Test func estimatorReadsHourlyAverages() throws {
        // Memory grows 24 MiB per day, sampled every 10 s for two days; a second service is ignored.
        let db = try SLOTestStore()
        let start = sloTestNow - 2 * Self.day
        let mem = Labels(type: "memory_usage_bytes", service: "svc")
        var samples: [(Labels, Int64, Double)] = []
        for i in 0..<(2 * 8640) {
            let t = start + Int64(i) * 10_000
            samples.append((mem, t, 1e9 + 24 * 1_048_576 * Double(t - start) / Double(Self.day)))
            samples.append((Labels(type: "memory_usage_bytes", service: "other"), t, 5))
        }
        try db.append(samples)
        let estimator = TrendEstimator(store: db.store)
        let trend = try #require(
            try estimator.trend(
                [.equal(Labels.service, "svc"), .equal(Labels.metricName, "memory_usage_bytes")], end: sloTestNow, window: 2 * Self.day))
        #expect(trend.pointCount == 48)
        #expect(sloClose(trend.slopePerDay, 24 * 1_048_576, 1e-9))
        let limit = 2e9
        #expect(sloClose(trend.daysUntil(limit), (limit - trend.current) / (24 * 1_048_576), 1e-9))
    }

    @Test func estimatorEventRate() throws {
        // Hour h (0-based) holds 3600 * (h + 1) / 10 events: throughput rises 0.1 rps per hour.
        let db = try SLOTestStore()
        let start = sloTestNow - 6 * Self.hour
        var samples: [(Labels, Int64, Double)] = []
        for h in 0..<6 {
            let n = 360 * (h + 1)
            for k in 0..<n {
                samples.append(
                    (
                        Labels(type: "api_latency_ms", service: "svc", tags: ["status": "200"]),
                        start + Int64(h) * Self.hour + Int64(k) * (Self.hour / Int64(n)), 50
                    ))
            }
        }
        try db.append(samples)
        let points = try TrendEstimator(store: db.store).points(
            [.equal(Labels.service, "svc")], from: start, to: sloTestNow, measure: .eventRate)
        #expect(points.map(\.value) == (1...6).map { Double($0) / 10 })
        #expect(points.first?.timestamp == start + Self.hour / 2)
        let trend = try #require(Trend.fit(points))
        #expect(sloClose(trend.slopePerDay, 2.4))
    }
}
