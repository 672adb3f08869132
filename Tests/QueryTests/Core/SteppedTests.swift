import Testing

@testable import Query
@testable import TSDB

@Suite struct SteppedTests {
    /// Every step equals the single-window aggregate, field for field and bit for bit.
    @Test(arguments: [(11, 0), (12, 2 * 3_600_000)] as [(UInt64, Int64)]) func steppedEqualsPerStepAggregate(
        seed: UInt64, retentionRaw: Int64
    ) throws {
        let (s, gauge, latency, counter) = try WindowAggregateTests.makeStore(seed: seed, retentionRaw: retentionRaw)
        var rng = QueryCoreRNG(seed: seed)
        for options in [QueryOptions(), QueryOptions(rawOnly: true)] {
            let query = WindowQuery(store: s.store, options: options)
            for _ in 0..<6 {
                let start = WindowAggregateTests.base + Int64(rng.next() % UInt64(WindowAggregateTests.span))
                let step = [60_000, 300_000, 1 + Int64(rng.next() % 900_000)][Int(rng.next() % 3)]
                let range = [300_000, 3_600_000, Int64(rng.next() % 7_200_000)][Int(rng.next() % 3)]
                let end = start + Int64(rng.next() % 5_400_000)
                for ref in [gauge, latency, counter] {
                    let needsQuantile = ref == gauge
                    let steps = try query.stepped(ref, start: start, end: end, step: step, range: range, needsQuantile: needsQuantile)
                    #expect(steps.count == Int((end - start) / step) + 1)
                    for (i, got) in steps.enumerated() {
                        let t = start + Int64(i) * step
                        let want = try query.aggregate(ref, from: t - range, to: t, needsQuantile: needsQuantile)
                        #expect(Self.same(got, want), "step \(i) of [\(start), \(end)] step \(step) range \(range)")
                        #expect(got.quantiles([0.5, 0.99]) == want.quantiles([0.5, 0.99]))
                    }
                }
            }
        }
    }

    @Test func degenerateSteps() throws {
        let s = try QueryTestStore()
        let ref = try s.write(Labels(type: "cpu_usage", service: "a"), [Sample(1_000_000, 1)])
        let query = WindowQuery(store: s.store)
        #expect(try query.stepped(ref, start: 10, end: 5, step: 1, range: 1).isEmpty)
        #expect(try query.stepped(ref, start: 0, end: 5, step: 0, range: 1).isEmpty)
        #expect(try query.stepped(ref, start: 1_000_001, end: 1_000_001, step: 7, range: 1).map(\.count) == [1])
    }

    static func same(_ a: WindowAggregate, _ b: WindowAggregate) -> Bool {
        a.from == b.from && a.to == b.to && a.count == b.count && a.sum.bitPattern == b.sum.bitPattern
            && a.min.bitPattern == b.min.bitPattern && a.max.bitPattern == b.max.bitPattern
            && a.sumOfSquares.bitPattern == b.sumOfSquares.bitPattern && a.first?.bitPattern == b.first?.bitPattern
            && a.firstTimestamp == b.firstTimestamp && a.last?.bitPattern == b.last?.bitPattern && a.lastTimestamp == b.lastTimestamp
            && a.resolutions == b.resolutions && a.approximateEdges == b.approximateEdges
            && a.counterIncrease.bitPattern == b.counterIncrease.bitPattern
    }
}
