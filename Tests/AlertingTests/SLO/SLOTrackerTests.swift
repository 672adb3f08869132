import Foundation
import Query
import Testing

@testable import Alerting
@testable import TSDB

@Suite struct SLOTrackerTests {
    static func event(_ status: String, service: String = "svc") -> Labels {
        Labels(type: "api_latency_ms", service: service, tags: ["status": status])
    }

    static let availability = SLOSpec(name: "svc-availability", service: "svc", objective: .availability(target: 0.999))

    /// One event per second over the 6 h before `sloTestNow`; event i (0 = oldest) is a 503 when `isError(i)`.
    static func sixHours(_ isError: (Int) -> Bool) throws -> SLOTestStore {
        let db = try SLOTestStore()
        let start = sloTestNow - 6 * 3_600_000
        try db.append((0..<21_600).map { i in (event(isError(i) ? "503" : "200"), start + Int64(i) * 1000, 100) })
        return db
    }

    @Test func availabilityBudgetFromStore() throws {
        // 1000 events in the last hour, 3 of them 503s (and one error="true" in another service).
        let db = try SLOTestStore()
        var samples: [(Labels, Int64, Double)] = []
        for i in 0..<1000 {
            let status = i % 300 == 7 && i < 900 ? "503" : "200"
            samples.append((Self.event(status), sloTestNow - 3_600_000 + Int64(i) * 3600, 80))
        }
        samples.append((Labels(type: "api_latency_ms", service: "other", tags: ["error": "true"]), sloTestNow - 1000, 5))
        try db.append(samples)
        let status = try SLOTracker(store: db.store).status(Self.availability, at: sloTestNow)
        #expect(status.counts == SLOCounts(total: 1000, good: 997, exact: true))
        #expect(sloClose(status.errorBudget, 1))
        #expect(sloClose(status.budgetConsumed, 3))
        #expect(sloClose(status.budgetRemaining, -2))
    }

    @Test func errorTrueCountsAsBad() throws {
        let db = try SLOTestStore()
        try db.append([
            (Labels(type: "api_latency_ms", service: "svc", tags: ["status": "200", "error": "true"]), sloTestNow - 10, 1),
            (Self.event("5xx"), sloTestNow - 20, 1), (Self.event("404"), sloTestNow - 30, 1), (Self.event("200"), sloTestNow - 40, 1),
        ])
        let c = try SLOTracker(store: db.store).counts(Self.availability, from: sloTestNow - 60_000, to: sloTestNow)
        #expect(c == SLOCounts(total: 4, good: 2))
    }

    @Test func fastBurnIsCritical() throws {
        // 150 of the last 300 events are errors (every other one of the last 5 minutes).
        let db = try Self.sixHours { $0 >= 21_300 && $0 % 2 == 0 }
        let s = try SLOTracker(store: db.store).burnRateStatus(Self.availability, at: sloTestNow)
        let fast = try #require(s.condition("fast"))
        let slow = try #require(s.condition("slow"))
        #expect(sloClose(fast.shortBurnRate, 150.0 / 300 / 0.001))  // 500
        #expect(sloClose(fast.longBurnRate, 150.0 / 3600 / 0.001))  // 41.7
        #expect(sloClose(slow.shortBurnRate, 150.0 / 1800 / 0.001))  // 83.3
        #expect(sloClose(slow.longBurnRate, 150.0 / 21_600 / 0.001))  // 6.94
        #expect(fast.holds && slow.holds)
        #expect(s.severity == .critical)
    }

    @Test func steadyBurnIsWarning() throws {
        // 1 % errors throughout: burn 10 in every window: slow holds, fast does not.
        let db = try Self.sixHours { $0 % 100 == 0 }
        let s = try SLOTracker(store: db.store).burnRateStatus(Self.availability, at: sloTestNow)
        for c in s.conditions {
            #expect(sloClose(c.longBurnRate, 10))
            #expect(sloClose(c.shortBurnRate, 10))
        }
        #expect(s.condition("fast")?.holds == false)
        #expect(s.condition("slow")?.holds == true)
        #expect(s.severity == .warning)
    }

    @Test func shortSpikeDoesNotAlert() throws {
        // 30 errors in the last 5 minutes: short windows burn hard, long ones do not.
        let db = try Self.sixHours { $0 >= 21_300 && $0 % 10 == 0 }
        let s = try SLOTracker(store: db.store).burnRateStatus(Self.availability, at: sloTestNow)
        #expect(sloClose(s.condition("fast")?.shortBurnRate, 100))
        #expect(sloClose(s.condition("fast")?.longBurnRate, 30.0 / 3600 / 0.001))
        #expect(s.severity == nil)
    }

    @Test func latencyFromRawIsExact() throws {
        // Latencies cycle 100, 200, 499, 500, 501, 900, NaN: 4 of 7 are <= 500.
        let db = try SLOTestStore()
        let values: [Double] = [100, 200, 499, 500, 501, 900, .nan]
        try db.append((0..<700).map { i in (Self.event("200"), sloTestNow - 700_000 + Int64(i) * 1000, values[i % 7]) })
        let spec = SLOSpec(name: "lat", service: "svc", objective: .latency(thresholdMs: 500, target: 0.5))
        let status = try SLOTracker(store: db.store).status(spec, at: sloTestNow)
        #expect(status.counts == SLOCounts(total: 700, good: 400, exact: true))
        #expect(sloClose(status.compliance, 4.0 / 7))
    }

    @Test func latencyFromRollupSketchesIsClose() throws {
        // Raw kept for 1 h only: events 3-2 h ago are answered by 1 m rollup sketches.
        let db = try SLOTestStore { $0.retentionRaw = 3_600_000 }
        var rng = SLOTestRNG(seed: 7)
        let start = sloTestNow - 3 * 3_600_000
        var samples: [(Labels, Int64, Double)] = []
        for i in 0..<7200 {
            samples.append((Self.event("200"), start + Int64(i) * 500, 10 + 990 * rng.uniform()))
        }
        samples.append((Self.event("200"), sloTestNow - 1, 1))  // newest: raw expires before now - 1 h
        try db.append(samples)
        let threshold = 500.0
        let spec = SLOSpec(name: "lat", service: "svc", objective: .latency(thresholdMs: threshold, target: 0.99))
        let plan = WindowPlan.make(
            from: start, to: start + 3_600_000, levels: .init(store: db.store, options: QueryOptions()), strategy: .finestRetained)
        #expect(plan.pieces == [.init(resolution: .rollup(60_000), from: start, to: start + 3_600_000)])
        let c = try SLOTracker(store: db.store).counts(spec, from: start, to: start + 3_600_000)
        let exactGood = samples.dropLast().filter { $0.2 <= threshold }.count
        let ambiguous = samples.dropLast().filter { $0.2 > threshold / 1.01 && $0.2 <= threshold / 0.99 }.count
        #expect(c.total == 7200)
        #expect(!c.exact)
        #expect(abs(Int(c.good) - exactGood) <= ambiguous)
    }

    @Test func bucketsOnOneSideOfTheThresholdAreExact() throws {
        let db = try SLOTestStore { $0.retentionRaw = 3_600_000 }
        let start = sloTestNow - 3 * 3_600_000
        var samples = (0..<600).map { i in (Self.event("200"), start + Int64(i) * 1000, i < 300 ? 100.0 : 900.0) }
        samples.append((Self.event("200"), sloTestNow - 1, 1))
        try db.append(samples)
        let spec = SLOSpec(name: "lat", service: "svc", objective: .latency(thresholdMs: 500, target: 0.99))
        let c = try SLOTracker(store: db.store).counts(spec, from: start, to: start + 600_000)
        #expect(c == SLOCounts(total: 600, good: 300, exact: true))
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func sketchRankCountMatchesRepresentatives(seed: UInt64) {
        // Reference: a value counts when its bucket's representative is <= threshold.
        var rng = SLOTestRNG(seed: seed)
        var sketch = QuantileSketch()
        var values: [Double] = []
        for _ in 0..<2000 {
            let v = exp(rng.normal() + 5) * (rng.uniform() < 0.05 ? -1 : 1)
            values.append(rng.uniform() < 0.02 ? 0 : v)
            sketch.add(values[values.count - 1])
        }
        for threshold in [-50.0, 0, 1, 50, 148.4, 150, 400, 1e6] {
            let expected = values.filter { v in
                v.magnitude < LogarithmicMapping.minIndexable
                    ? 0 <= threshold
                    : (v < 0
                        ? -sketch.mapping.representative(sketch.mapping.key(-v))
                        : sketch.mapping.representative(sketch.mapping.key(v))) <= threshold
            }.count
            #expect(LatencyCounting.countAtOrBelow(sketch, threshold) == Int64(expected))
        }
    }
}
