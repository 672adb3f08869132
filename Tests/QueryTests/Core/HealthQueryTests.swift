import Testing

@testable import Query
@testable import TSDB

@Suite struct HealthQueryTests {
    /// A service with latency series of several statuses (errors among them), a second event
    /// metric, a gauge that must be ignored, and another service.
    static func makeStore(seed: UInt64) throws -> QueryTestStore {
        var rng = QueryCoreRNG(seed: seed)
        let s = try QueryTestStore()
        let start = WindowAggregateTests.base + Int64(rng.next() % 60_000)
        let span: Int64 = 2 * 3_600_000
        func ts(_ gap: Int64) -> [Int64] { QueryTestData.timestamps(&rng, start: start, span: span, meanGap: gap, duplicates: 0.02) }
        for tags in [
            ["status": "200"], ["status": "503"], ["status": "5xx"], ["status": "404", "error": "true"], ["status": "404"],
            ["status": "5XX"],
        ] {
            try s.write(Labels(type: "api_latency_ms", service: "checkout", tags: tags), QueryTestData.latency(&rng, ts(2_000)))
        }
        try s.write(Labels(type: "db_query_seconds", service: "checkout", tags: ["status": "200"]), QueryTestData.latency(&rng, ts(5_000)))
        try s.write(Labels(type: "cpu_usage", service: "checkout"), QueryTestData.gauge(&rng, ts(10_000), nanRate: 0))
        try s.write(Labels(type: "api_latency_ms", service: "search", tags: ["status": "500"]), QueryTestData.latency(&rng, ts(3_000)))
        try s.compact()
        return s
    }

    @Test(arguments: [21, 22] as [UInt64]) func summaryMatchesBruteForce(seed: UInt64) throws {
        let s = try Self.makeStore(seed: seed)
        let newest = try #require(s.store.newestTimestamp)
        var rng = QueryCoreRNG(seed: seed)
        for metric in [nil, "db_query_seconds"] as [String?] {
            for options in [QueryOptions(), QueryOptions(rawOnly: true)] {
                let health = HealthQuery(store: s.store, latencyMetric: metric, options: options)
                #expect(health.services() == ["checkout", "search"])
                let ends = [newest + 1, newest - Int64(rng.next() % 3_600_000)]
                for end in ends {
                    let summaries = try health.summaries(service: "checkout", end: end)
                    #expect(summaries.map(\.window) == [60_000, 300_000, 3_600_000])
                    for h in summaries { check(h, s, metric: metric, rawOnly: options.rawOnly) }
                }
            }
        }
        let none = try HealthQuery(store: s.store).summary(service: "nope", end: newest, window: 60_000)
        #expect(none.count == 0 && none.errorRatePercent == nil && none.p99LatencyMs == nil && none.throughputRps == 0)
    }

    func check(_ h: HealthSummary, _ s: QueryTestStore, metric: String?, rawOnly: Bool) {
        var all: [Sample] = []
        var errors = 0
        for info in s.store.select([.equal("service", "checkout")]) {
            let name = info.labels.metricType
            guard metric.map({ $0 == name }) ?? name.hasSuffix("_ms") || name.hasSuffix("_seconds") else { continue }
            let inWindow = (s.written[info.ref] ?? []).filter { $0.timestamp >= h.end - h.window && $0.timestamp < h.end }
            all += inWindow
            let status = info.labels["status"] ?? ""
            if status.hasPrefix("5") || info.labels["error"] == "true" { errors += inWindow.count }
        }
        let ref = QueryReference(samples: all)
        let context = "window \(h.window) end \(h.end) metric \(metric ?? "-")"
        #expect(h.count == Int64(all.count), "\(context)")
        #expect(h.throughputRps == Double(all.count) / (Double(h.window) / 1000))
        if all.isEmpty {
            #expect(h.errorRatePercent == nil && h.avgLatencyMs == nil)
            return
        }
        #expect(h.errorRatePercent == 100 * Double(errors) / Double(all.count), "\(context)")
        #expect(h.availabilityPercent == h.errorRatePercent.map { 100 - $0 })
        #expect(((h.avgLatencyMs ?? .nan) - ref.sum / Double(all.count)).magnitude <= 1e-9 * ref.sum)
        if rawOnly { #expect(h.resolutions == [.raw] && h.quantileErrorBound == 0) }
        for (q, got) in [(0.5, h.p50LatencyMs), (0.95, h.p95LatencyMs), (0.99, h.p99LatencyMs)] {
            if h.quantileErrorBound == 0 {
                #expect(got == WindowAggregate.interpolatedQuantile(q, sorted: ref.sorted), "\(context)")
            } else {
                let want = ref.rankQuantile(q) ?? .nan
                #expect(((got ?? .nan) - want).magnitude <= h.quantileErrorBound * want * (1 + 1e-9), "q\(q) \(context)")
            }
        }
    }

    @Test(arguments: [
        ("503", true), ("5xx", true), ("5XX", true), ("500", true), ("200", false), ("404", false), ("5", false), ("5x1", false),
    ])
    func errorStatuses(status: String, isError: Bool) {
        #expect(HealthQuery.isError(Labels(type: "api_latency_ms", service: "a", tags: ["status": status])) == isError)
        #expect(HealthQuery.isError(Labels(type: "api_latency_ms", service: "a", tags: ["status": status, "error": "true"])))
    }
}
