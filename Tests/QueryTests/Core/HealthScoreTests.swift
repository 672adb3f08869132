import Foundation
import TSDB
import Testing

@testable import Query

@Suite struct HealthScoreTests {
    /// A summary with the given figures (window 1 min, so throughput = count / 60).
    static func summary(count: Int64, p99: Double?, errorRate: Double?, rps: Double = 10) -> HealthSummary {
        HealthSummary(
            service: "svc", window: 60_000, end: 0, count: count, avgLatencyMs: p99, p50LatencyMs: p99, p95LatencyMs: p99,
            p99LatencyMs: p99, errorRatePercent: errorRate, throughputRps: rps, availabilityPercent: errorRate.map { 100 - $0 },
            resolutions: [.raw], quantileErrorBound: 0)
    }

    @Test func handComputedDefault() throws {
        // availability 99 % -> (99 - 90) / 10 = 90 points; p99 750 vs 500 -> excess 0.5 -> 100 / 1.25 = 80;
        // error 1 % with a 1 % budget -> 50. Score (40*90 + 35*80 + 25*50) / 100 = 76.5.
        let s = try #require(HealthScore.compute(Self.summary(count: 100, p99: 750, errorRate: 1)))
        #expect(healthClose(s.availability, 90))
        #expect(healthClose(s.latency, 80))
        #expect(healthClose(s.errorRate, 50))
        #expect(s.throughput == nil)
        #expect(healthClose(s.score, 76.5))
    }

    @Test func missingLatencyIsReweighted() throws {
        // (40*90 + 25*50) / 65.
        let s = try #require(HealthScore.compute(Self.summary(count: 100, p99: nil, errorRate: 1)))
        #expect(s.latency == nil)
        #expect(healthClose(s.score, 4850.0 / 65))
    }

    @Test func throughputCountsWhenExpected() throws {
        // 50 of 100 expected rps -> 50 points at weight 10: (3600 + 2800 + 1250 + 500) / 110.
        let targets = HealthTargets(expectedThroughputRps: 100)
        let s = try #require(HealthScore.compute(Self.summary(count: 100, p99: 750, errorRate: 1, rps: 50), targets: targets))
        #expect(healthClose(s.throughput, 50))
        #expect(healthClose(s.score, 8150.0 / 110))
    }

    @Test func perfectServiceScores100() throws {
        let s = try #require(HealthScore.compute(Self.summary(count: 5, p99: 120, errorRate: 0)))
        #expect(s.score == 100)
    }

    @Test func noDataHasNoScore() {
        #expect(HealthScore.compute(Self.summary(count: 0, p99: nil, errorRate: nil)) == nil)
    }

    @Test(arguments: [
        (500.0, 100.0), (250.0, 100.0), (1000.0, 50.0), (1500.0, 20.0), (600.0, 100 / 1.04),
    ])
    func latencyPenalty(p99: Double, points: Double) {
        #expect(healthClose(HealthScore.latencyPoints(p99, target: 500), points))
    }

    @Test(arguments: [(0.0, 100.0), (1.0, 50.0), (2.0, 25.0), (0.5, 100 / 2.0.squareRoot()), (-1.0, 100.0)])
    func errorRateHalvesPerBudget(rate: Double, points: Double) {
        #expect(healthClose(HealthScore.errorRatePoints(rate, budget: 1), points))
    }

    @Test(arguments: [(100.0, 100.0), (95.0, 50.0), (90.0, 0.0), (80.0, 0.0)])
    func availabilityIsLinearFromFloor(percent: Double, points: Double) {
        #expect(healthClose(HealthScore.availabilityPoints(percent, floor: 90), points))
    }

    @Test func scoreFromStoreSummary() throws {
        // 99 ok events at 100 ms and one 503 at 100 ms in the last minute: availability 99 %.
        let path = NSTemporaryDirectory() + "health-score-\(UUID().uuidString)"
        var options = StoreOptions()
        options.fsync = .never
        let store = try Store(directory: path, options: options)
        defer {
            try? store.close()
            try? FileManager.default.removeItem(atPath: path)
        }
        let end: Int64 = 1_700_000_000_000
        var batch = WriteBatch()
        for i in 0..<100 {
            let status = i == 50 ? "503" : "200"
            batch.append(Labels(type: "api_latency_ms", service: "svc", tags: ["status": status]), end - 60_000 + Int64(i) * 500, 100)
        }
        #expect(try store.append(batch).accepted == 100)
        let summary = try HealthQuery(store: store).summary(service: "svc", end: end, window: 60_000)
        let s = try #require(HealthScore.compute(summary))
        let expected: Double = (40 * 90 + 35 * 100 + 25 * 50) / 100
        #expect(healthClose(s.score, expected))
    }
}

/// Relative closeness for the score's arithmetic.
func healthClose(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return (a - b).magnitude <= tolerance * Swift.max(1, b.magnitude)
}
