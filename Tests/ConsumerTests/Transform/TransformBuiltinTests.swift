import TSDB
import Testing

@testable import Consumer

@Suite struct TransformBuiltinTests {
    static func event(_ type: String, _ service: String, _ t: Int64, _ v: Double, _ tags: [String: String] = [:]) -> MetricEvent {
        MetricEvent(labels: Labels(type: type, service: service, tags: tags), timestamp: t, value: v)
    }

    static let batch: [MetricEvent] = [
        event("request_seconds", "api", 1, 0.25, ["status": "200"]),
        event("cpu_usage_percent", "api", 2, 40),
        event("request_seconds", "test", 3, 1.5),
        event("debug_gauge", "api", 4, 7),
        event("old_name", "worker", 5, 3, ["team": "core"]),
    ]

    @Test func renameChangesOnlyTheNamedMetric() {
        var events = Self.batch
        RenameTransformer(metric: "old_name", to: "new_name").apply(&events)
        var expected = Self.batch
        expected[4] = Self.event("new_name", "worker", 5, 3, ["team": "core"])
        #expect(events == expected)
    }

    @Test func scaleMultipliesAndRenames() {
        var events = Self.batch
        ScaleTransformer(metric: "request_seconds", factor: 1000, rename: "request_ms").apply(&events)
        var expected = Self.batch
        expected[0] = Self.event("request_ms", "api", 1, 250, ["status": "200"])
        expected[2] = Self.event("request_ms", "test", 3, 1500)
        #expect(events == expected)

        var plain = Self.batch
        ScaleTransformer(metric: "cpu_usage_percent", factor: 0.01).apply(&plain)
        #expect(plain[1].value.bitPattern == (40 * 0.01).bitPattern && plain[1].labels == Self.batch[1].labels)
    }

    @Test func dropByMetricByMatchAndBoth() {
        var byMetric = Self.batch
        DropTransformer(metric: "debug_gauge").apply(&byMetric)
        #expect(byMetric == Self.batch.filter { $0.labels.metricType != "debug_gauge" })

        var byMatch = Self.batch
        DropTransformer(metric: nil, match: ["service": "test"]).apply(&byMatch)
        #expect(byMatch == Self.batch.filter { $0.labels.serviceName != "test" })

        var both = Self.batch
        DropTransformer(metric: "request_seconds", match: ["status": "200"]).apply(&both)
        #expect(both == Array(Self.batch.dropFirst()))

        var nameMatch = Self.batch
        DropTransformer(metric: nil, match: ["__name__": "old_name", "team": "core"]).apply(&nameMatch)
        #expect(nameMatch == Array(Self.batch.dropLast()))
    }

    @Test func enrichAddsMissingTagsOnly() {
        var events = Self.batch
        EnrichTransformer(match: ["service": "worker"], tags: ["team": "ml", "region": "eu"]).apply(&events)
        var expected = Self.batch
        expected[4] = Self.event("old_name", "worker", 5, 3, ["team": "core", "region": "eu"])
        #expect(events == expected)

        var all = Self.batch
        EnrichTransformer(match: [:], tags: ["region": "eu"]).apply(&all)
        #expect(all.allSatisfy { $0.labels["region"] == "eu" })
    }

    @Test func labelMatchAgreesWithBruteForce() {
        var rng = TransformTestRNG(seed: 7)
        let names = ["__name__", "a", "b", "service", "z"]
        let values = ["x", "y"]
        for _ in 0..<2_000 {
            var have: [String: String] = [:]
            var want: [String: String] = [:]
            for n in names {
                if Bool.random(using: &rng) { have[n] = values.randomElement(using: &rng) }
                if Int.random(in: 0..<3, using: &rng) == 0 { want[n] = values.randomElement(using: &rng) }
            }
            let labels = Labels(have)
            #expect(LabelMatch(want).matches(labels) == want.allSatisfy { have[$0.key] == $0.value })
        }
    }

    @Test func specsMakeTheirTransformers() {
        let specs: [TransformSpec] = [
            .rename(metric: "a", to: "b"), .scale(metric: "a", factor: 2, rename: nil), .drop(metric: "a", match: [:]),
            .sample(metric: "a", every: 3), .enrich(match: [:], tags: ["t": "v"]),
        ]
        let made = specs.map { $0.makeTransformer() }
        #expect(made[0] is RenameTransformer && made[1] is ScaleTransformer && made[2] is DropTransformer)
        #expect(made[3] is SampleTransformer && made[4] is EnrichTransformer)
        #expect((made[3] as? SampleTransformer)?.every == 3)
    }
}
