import TSDB
import Testing

@testable import Consumer

@Suite struct TransformChainTests {
    static func event(_ type: String, _ service: String, _ t: Int64, _ v: Double) -> MetricEvent {
        MetricEvent(labels: Labels(type: type, service: service), timestamp: t, value: v)
    }

    @Test func transformersRunInOrder() {
        // scale-then-rename differs from rename-then-scale: the second scale no longer finds its metric.
        let a = TransformChain(specs: [.scale(metric: "s", factor: 1000, rename: nil), .rename(metric: "s", to: "ms")])
        let b = TransformChain(specs: [.rename(metric: "s", to: "ms"), .scale(metric: "s", factor: 1000, rename: nil)])
        var ea = [Self.event("s", "api", 1, 2)]
        var eb = ea
        a.apply(&ea)
        b.apply(&eb)
        #expect(ea == [Self.event("ms", "api", 1, 2000)])
        #expect(eb == [Self.event("ms", "api", 1, 2)])

        let c = TransformChain(specs: [.drop(metric: nil, match: ["service": "test"]), .enrich(match: [:], tags: ["team": "x"])])
        var ec = [Self.event("m", "test", 1, 1), Self.event("m", "api", 2, 1)]
        c.apply(&ec)
        #expect(ec == [MetricEvent(labels: Labels(type: "m", service: "api", tags: ["team": "x"]), timestamp: 2, value: 1)])
        #expect(TransformChain().isEmpty && !c.isEmpty)
    }

    @Test func ingestCountsCompleteMinutes() {
        let agg = IngestCountAggregator(lateness: 10_000)
        let chain = TransformChain(transformers: [], aggregators: [agg])
        chain.observe([
            Self.event("api_latency_ms", "api", 0, 1), Self.event("api_latency_ms", "api", 59_999, 1),
            Self.event("cpu", "api", 30_000, 1), Self.event("api_latency_ms", "api", 60_000, 1),
            Self.event("ingested_events", "api", 1_000, 5),  // its own output is never counted
        ])
        #expect(chain.flush(now: 69_999).isEmpty)  // minute 0 ends at 60 000, plus 10 s lateness
        let first = chain.flush(now: 70_000)
        #expect(
            first == [
                MetricEvent(
                    labels: Labels(type: "ingested_events", service: "api", tags: ["type": "api_latency_ms"]), timestamp: 0, value: 2),
                MetricEvent(labels: Labels(type: "ingested_events", service: "api", tags: ["type": "cpu"]), timestamp: 0, value: 1),
            ])
        chain.observe([Self.event("cpu", "api", 1_000, 1)])  // late: minute 0 was emitted
        #expect(agg.lateEvents == 1)
        #expect(chain.flush(now: 70_000).isEmpty)
        #expect(
            chain.flush(now: 200_000) == [
                MetricEvent(
                    labels: Labels(type: "ingested_events", service: "api", tags: ["type": "api_latency_ms"]), timestamp: 60_000, value: 1)
            ])
    }

    @Test func ingestCountsAreBounded() {
        let agg = IngestCountAggregator(maxOpenKeys: 3)
        agg.observe((0..<10).map { Self.event("m\($0)", "s", 0, 1) })
        #expect(agg.overflowEvents == 7)
        #expect(agg.flush(now: 1_000_000).count == 3)
        #expect(agg.flush(now: .min).isEmpty)
    }
}
