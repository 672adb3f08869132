import Testing

@testable import Query
@testable import TSDB

/// Random stores and windows against brute force over the raw samples written.
@Suite struct WindowAggregateTests {
    static let base: Int64 = 1_764_288_000_000
    static let span: Int64 = 5 * 3_600_000

    /// A store with a gauge (NaN, negatives), a heavy-tailed event series (equal timestamps)
    /// and a counter with resets, starting mid-minute.
    static func makeStore(seed: UInt64, retentionRaw: Int64) throws -> (
        QueryTestStore, gauge: SeriesRef, latency: SeriesRef, counter: SeriesRef
    ) {
        var rng = QueryCoreRNG(seed: seed)
        let s = try QueryTestStore(retentionRaw: retentionRaw)
        let start = base + 7 * 60_000 + Int64(rng.next() % 60_000)
        let g = try s.write(
            Labels(type: "cpu_usage", service: "a"),
            QueryTestData.gauge(&rng, QueryTestData.timestamps(&rng, start: start, span: span, meanGap: 5_000)))
        let l = try s.write(
            Labels(type: "api_latency_ms", service: "a"),
            QueryTestData.latency(&rng, QueryTestData.timestamps(&rng, start: start, span: span, meanGap: 1_500, duplicates: 0.05)))
        let c = try s.write(
            Labels(type: "requests_total", service: "a"),
            QueryTestData.counter(&rng, QueryTestData.timestamps(&rng, start: start, span: span, meanGap: 10_000)))
        try s.compact()
        return (s, g, l, c)
    }

    /// A random window: empty, short, mid-size or long, starting anywhere around the data.
    static func randomWindow(_ rng: inout QueryCoreRNG) -> (Int64, Int64) {
        let from = base - 600_000 + Int64(rng.next() % UInt64(span + 1_200_000))
        let lengths: [Int64] = [
            0, 1 + Int64(rng.next() % 180_000), Int64(rng.next() % 5_400_000), Int64(rng.next() % UInt64(span + 3_600_000)),
        ]
        return (from, from + lengths[Int(rng.next() % 4)])
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func mixedPlansMatchBruteForce(seed: UInt64) throws {
        try check(seed: seed, retentionRaw: 0)
    }

    /// Raw expired for the older part: rollups answer there with the start-in-window rule.
    @Test(arguments: [4, 5, 6] as [UInt64]) func expiredRawMatchesBucketRule(seed: UInt64) throws {
        try check(seed: seed, retentionRaw: 2 * 3_600_000)
    }

    func check(seed: UInt64, retentionRaw: Int64) throws {
        let (s, gauge, latency, counter) = try Self.makeStore(seed: seed, retentionRaw: retentionRaw)
        let newest = try #require(s.store.newestTimestamp)
        let zone = retentionRaw == 0 ? Int64.min : TimeGrid.ceil(newest - retentionRaw, Rollups.minute)
        if retentionRaw > 0 {
            // Compaction dropped the old raw samples: rollups must answer there.
            #expect(try s.store.samples(gauge, from: .min, to: newest - retentionRaw - 3_600_000).count == 0)
        }
        let query = WindowQuery(store: s.store)
        var rng = QueryCoreRNG(seed: seed &+ 100)
        var sawMixed = false
        var sawApproximate = false
        for i in 0..<60 {
            let (from, to) = Self.randomWindow(&rng)
            let context = "seed \(seed) window \(i) [\(from), \(to))"
            let fromAligned = from >= zone
            for ref in [gauge, latency, counter] {
                let ref0 = QueryReference.window(s.written[ref] ?? [], from: from, to: to, bucketBefore: zone)
                let agg = try query.aggregate(ref, from: from, to: to)
                ref0.check(agg, context)
                #expect(agg.avg == nil || agg.count > 0)
                if !agg.isExact { sawMixed = true }
                if agg.approximateEdges { sawApproximate = true }
                if fromAligned { #expect(!agg.approximateEdges, "\(context)") }
                if ref == counter { #expect(agg.counterIncrease == ref0.increase, "increase \(context)") }
                if ref == latency { checkQuantiles(agg, ref0, context) }
                if ref == gauge {
                    if !agg.isExact && agg.count > ref0.samples.filter({ $0.timestamp >= zone }).count {
                        #expect(agg.quantile(0.5) == nil, "gauge rollup quantile \(context)")
                    }
                    let q = try query.aggregate(ref, from: from, to: to, needsQuantile: true)
                    ref0.check(q, context)
                    if fromAligned {
                        #expect(q.isExact)
                        #expect(q.quantile(0.9) == WindowAggregate.interpolatedQuantile(0.9, sorted: ref0.sorted), "\(context)")
                    }
                }
            }
        }
        #expect(sawMixed)
        #expect(sawApproximate == (retentionRaw > 0))
    }

    /// Exact interpolated quantiles from raw; the sketch bound against the rank element otherwise.
    func checkQuantiles(_ agg: WindowAggregate, _ ref: QueryReference, _ context: String, sourceLocation: SourceLocation = #_sourceLocation)
    {
        for q in [0.0, 0.25, 0.5, 0.9, 0.99, 1.0] {
            let got = agg.quantile(q)
            if agg.isExact {
                #expect(agg.quantileErrorBound == 0, sourceLocation: sourceLocation)
                #expect(
                    got == WindowAggregate.interpolatedQuantile(q, sorted: ref.sorted), "q\(q) \(context)", sourceLocation: sourceLocation)
            } else if let want = ref.rankQuantile(q) {
                let g = got ?? .nan
                #expect(
                    (g - want).magnitude <= agg.quantileErrorBound * want.magnitude * (1 + 1e-9), "q\(q) \(g) vs \(want) \(context)",
                    sourceLocation: sourceLocation)
            } else {
                #expect(got == nil, sourceLocation: sourceLocation)
            }
        }
    }

    @Test func rawOnlyIsExact() throws {
        let (s, gauge, latency, _) = try Self.makeStore(seed: 9, retentionRaw: 0)
        let query = WindowQuery(store: s.store, options: QueryOptions(rawOnly: true))
        var rng = QueryCoreRNG(seed: 9)
        for i in 0..<30 {
            let (from, to) = Self.randomWindow(&rng)
            for ref in [gauge, latency] {
                let ref0 = QueryReference.window(s.written[ref] ?? [], from: from, to: to)
                let agg = try query.aggregate(ref, from: from, to: to)
                ref0.check(agg, "raw window \(i)")
                #expect(agg.sum.bitPattern == ref0.sum.bitPattern, "raw sum is summed in the same order")
                #expect(agg.resolutions == (from < to ? [.raw] : []))
                #expect(agg.isExact)
                checkQuantiles(agg, ref0, "raw window \(i)")
            }
        }
    }

    @Test func emptySingleAndStatistics() throws {
        let s = try QueryTestStore()
        let t = Self.base + 90_000
        let ref = try s.write(Labels(type: "api_latency_ms", service: "a"), [Sample(t, 42)])
        try s.compact()
        let query = WindowQuery(store: s.store)
        let empty = try query.aggregate(ref, from: t + 1, to: t + 3_600_000)
        #expect(empty.count == 0 && empty.avg == nil && empty.stddev == nil && empty.quantile(0.5) == nil)
        #expect(empty.first == nil && empty.min.isNaN && empty.counterIncrease == 0)
        #expect(try query.aggregate(ref, from: t, to: t).count == 0)
        for (from, to) in [(t, t + 1), (t - 59_000, t + 7_200_000), (Self.base, Self.base + 86_400_000)] {
            let one = try query.aggregate(ref, from: from, to: to)
            #expect(one.count == 1 && one.sum == 42 && one.min == 42 && one.max == 42 && one.first == 42 && one.lastTimestamp == t)
            #expect(one.avg == 42 && one.stddev == 0)
            let q = try #require(one.quantile(0.5))
            #expect((q - 42).magnitude <= 42 * one.quantileErrorBound)
        }
        #expect(try query.increase(ref, from: t - 1, to: t + 1) == nil)
        #expect(try query.irate(ref, from: t - 1, to: t + 1) == nil)
        #expect(empty.quantile(-0.1) == nil)
    }

    @Test func ratesAndStddev() throws {
        let s = try QueryTestStore()
        let t0 = Self.base + 30_000
        // 10 s apart: 0, 10, 20, reset to 5, 15 -> increase 10 + 10 + 5 + 10 = 35.
        let values: [Double] = [0, 10, 20, 5, 15]
        let ref = try s.write(
            Labels(type: "requests_total", service: "a"), values.enumerated().map { Sample(t0 + Int64($0.offset) * 10_000, $0.element) })
        try s.compact()
        let query = WindowQuery(store: s.store)
        #expect(try query.increase(ref, from: t0, to: t0 + 60_000) == 35)
        #expect(try query.rate(ref, from: t0, to: t0 + 50_000) == 35.0 / 50)
        #expect(try query.irate(ref, from: t0, to: t0 + 60_000) == 1)
        #expect(try query.irate(ref, from: t0, to: t0 + 35_000) == 0.5)
        let agg = try query.aggregate(ref, from: t0, to: t0 + 60_000)
        let mean = 10.0
        let variance = (100.0 + 0 + 100 + 25 + 25) / 5
        #expect(agg.avg == mean)
        #expect(((agg.stddev ?? 0) - variance.squareRoot()).magnitude < 1e-12)
        #expect(try query.samples(ref, from: t0 + 1, to: t0 + 30_000).values == [10, 20])
    }
}
