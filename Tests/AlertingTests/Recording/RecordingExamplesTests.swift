import Query
import TSDB
import Testing

@testable import Alerting

@Suite struct RecordingExamplesTests {
    static let t = sloTestNow

    /// Ten minutes of workload-shaped data before t for recommendation-api (cpu 50 %, 2 % errors)
    /// and search-api (cpu 25 %, 1 % errors): counters and gauges every 10 s, and
    /// recommendation-api latency events alternating `low` and `high` every second.
    static func workloadStore(low: Double, high: Double) throws -> SLOTestStore {
        let db = try SLOTestStore()
        var samples: [(Labels, Int64, Double)] = []
        for (service, cpu, errorShare) in [("recommendation-api", 50.0, 0.02), ("search-api", 25.0, 0.01)] {
            for k in 0..<60 {
                let time = t - 600_000 + Int64(k) * 10_000
                let requests = 10_000 + 100 * Double(k)
                samples.append((Labels(type: "requests_total", service: service), time, requests))
                samples.append((Labels(type: "errors_total", service: service), time, errorShare * requests))
                samples.append((Labels(type: "cpu_usage_percent", service: service), time, cpu))
            }
        }
        for s in 0..<600 {
            let status = s % 50 == 0 ? "503" : "200"
            samples.append(
                (
                    Labels(
                        type: "api_latency_ms", service: "recommendation-api", tags: ["endpoint": "/v1/recommendations", "status": status]),
                    t - 600_000 + Int64(s) * 1000, s % 2 == 0 ? low : high
                ))
        }
        try db.append(samples)
        return db
    }

    static func recorded(_ store: Store, _ name: String) throws -> [Labels: Double] {
        guard case .vector(let v) = try PromQLEngine(store: store).instant(name, at: t).0 else { throw SLOTestFailure("not a vector") }
        return Dictionary(uniqueKeysWithValues: v.map { ($0.labels, $0.v) })
    }

    @Test(arguments: [(100.0, 300.0, 98.0), (400.0, 600.0, 49.0)])
    func recommendationQuality(low: Double, high: Double, expected: Double) throws {
        // 98 % success; mean latency 200 ms keeps the latency factor at 1, 500 ms halves it.
        let db = try Self.workloadStore(low: low, high: high)
        var runner = RecordingRuleRunner(store: db.store, rules: RecordingRule.examples)
        let outcomes = runner.runDue(at: Self.t)
        #expect(outcomes.map(\.outcome) == [.recorded(samples: 1, rejected: 0), .recorded(samples: 2, rejected: 0)])
        let quality = try Self.recorded(db.store, "recommendation_quality_score")
        let key = Labels(["__name__": "recommendation_quality_score", "kpi": "business", "service": "recommendation-api"])
        #expect(Array(quality.keys) == [key])
        #expect(sloClose(quality[key], expected, 1e-9))
    }

    @Test func systemEfficiencyIsThroughputPerCPU() throws {
        let db = try Self.workloadStore(low: 100, high: 300)
        var runner = RecordingRuleRunner(store: db.store, rules: RecordingRule.examples)
        _ = runner.runDue(at: Self.t)
        let efficiency = try Self.recorded(db.store, "system_efficiency_score")
        guard
            case .vector(let rates) = try PromQLEngine(store: db.store).instant("sum by (service) (rate(requests_total[5m]))", at: Self.t).0
        else { throw SLOTestFailure("not a vector") }
        #expect(rates.count == 2)
        for (service, cpu) in [("recommendation-api", 50.0), ("search-api", 25.0)] {
            let rate = try #require(rates.first { $0.labels.serviceName == service }?.v)
            #expect(rate > 9 && rate < 11)  // 100 requests per 10 s
            let key = Labels(["__name__": "system_efficiency_score", "kpi": "business", "service": service])
            #expect(sloClose(efficiency[key], rate / cpu, 1e-12))
        }
    }

    @Test func examplesParse() throws {
        let db = try SLOTestStore()
        for rule in RecordingRule.examples {
            // An empty store yields empty results, but a parse error would throw.
            _ = try PromQLEngine(store: db.store).instant(rule.expression, at: Self.t)
        }
    }
}
