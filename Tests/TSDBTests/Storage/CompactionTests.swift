import Foundation
import Testing

@testable import TSDB

/// Compaction and retention against a reference model that remembers every accepted sample.
@Suite struct CompactionTests {
    static func options() -> StoreOptions {
        var o = StoreOptions()
        o.blockDuration = StoreOptions.hour
        o.retentionRaw = 6 * StoreOptions.hour
        o.rollupRetention = [StoreOptions.minute: 0, StoreOptions.hour: 0]
        o.outOfOrderWindow = 10 * StoreOptions.minute
        return o
    }

    static let series = [
        labels("api_latency_ms", "a", ["status": "200"]), labels("api_latency_ms", "b", ["status": "500"]),
        labels("cpu_usage_percent", "a"), labels("requests_total", "b"),
    ]

    /// Appends ~12 h of data with jitter, late samples and equal timestamps, compacting now and
    /// then; returns the reference of accepted samples per series.
    static func fill(_ store: Store, seed: UInt64) throws -> [Labels: [Sample]] {
        var rng = StorageTestRNG(seed: seed)
        var reference: [Labels: [Sample]] = [:]
        var t: Int64 = 1_764_288_000_000
        var counter = 0.0
        for round in 0..<72 {
            var batch = WriteBatch()
            var added: [(Labels, Sample)] = []
            for _ in 0..<300 {
                t += Int64.random(in: 0...4000, using: &rng)
                let l = series[Int.random(in: 0..<series.count, using: &rng)]
                var ts = t
                if Int.random(in: 0..<20, using: &rng) == 0 { ts -= Int64.random(in: 0...(5 * 60_000), using: &rng) }
                let v: Double
                switch l.metricType {
                case "api_latency_ms": v = (exp(Double.random(in: 0...1, using: &rng) * 4 + 2) * 100).rounded() / 100
                case "requests_total":
                    counter = Int.random(in: 0..<50, using: &rng) == 0 ? 0 : counter + 1
                    v = counter
                default: v = Double(Int.random(in: 0...1000, using: &rng)) / 10
                }
                batch.append(l, ts, v)
                added.append((l, Sample(ts, v)))
            }
            let r = try store.append(batch, sources: ["p/0": Int64(round + 1)])
            #expect(r.rejectedCount == 0)
            for (l, s) in added { reference[l, default: []].append(s) }
            if round % 9 == 8 { _ = try store.compact() }
        }
        return reference
    }

    static func check(_ store: Store, _ reference: [Labels: [Sample]]) throws {
        let newest = reference.values.flatMap { $0 }.map(\.timestamp).max() ?? 0
        let cutoff = newest - options().retentionRaw
        for (l, samples) in reference {
            let got = try store.all(l).samples
            let key = { (s: Sample) in "\(s.timestamp):\(s.value.bitPattern)" }
            let gotKeys = Dictionary(grouping: got, by: key).mapValues(\.count)
            let refKeys = Dictionary(grouping: samples, by: key).mapValues(\.count)
            // Everything inside raw retention is there, exactly once; nothing else appears.
            let missing = refKeys.filter { Int64($0.key.split(separator: ":")[0])! >= cutoff && gotKeys[$0.key] != $0.value }
            #expect(missing.isEmpty, "\(l): \(missing.count) missing, e.g. \(missing.keys.sorted().prefix(3)) cutoff \(cutoff)")
            for (k, n) in gotKeys { #expect((refKeys[k] ?? 0) >= n, "\(l) unexpected \(k)") }
            let ref = store.select([.equal("__name__", l.metricType)]).first { $0.labels == l }!.ref
            for resolution in [StoreOptions.minute, StoreOptions.hour] {
                let buckets = try store.rollups(ref, resolution: resolution)
                let expected = Dictionary(grouping: samples) { TimeGrid.floor($0.timestamp, resolution) }
                #expect(buckets.map(\.start) == expected.keys.sorted())
                #expect(buckets.reduce(0) { $0 + $1.count } == Int64(samples.count))
                for b in buckets {
                    let exact = expected[b.start] ?? []
                    let values = exact.map(\.value)
                    #expect(b.count == Int64(exact.count))
                    #expect(b.min == values.min() && b.max == values.max() && b.min <= b.max)
                    let sum = values.reduce(0, +)
                    #expect(abs(b.sum - sum) <= 1e-9 * max(1, abs(sum)))
                    #expect(b.firstTimestamp == exact.map(\.timestamp).min() && b.lastTimestamp == exact.map(\.timestamp).max())
                    if l.metricType.hasSuffix("_ms") {
                        let sorted = values.sorted()
                        for q in [0.5, 0.9, 0.99] {
                            let estimate = b.sketch?.quantile(q) ?? .nan
                            let lowRank = Int((q * Double(sorted.count - 1)).rounded(.down))
                            let highRank = Int((q * Double(sorted.count - 1)).rounded(.up))
                            let ok = (lowRank...highRank).contains { abs(estimate - sorted[$0]) <= 0.0100001 * sorted[$0] }
                            #expect(ok, "q\(q) \(estimate) vs \(sorted[lowRank])")
                        }
                    } else {
                        #expect(b.sketch == nil)
                    }
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func compactionKeepsEverythingInsideRetention(seed: UInt64) throws {
        let dir = TempDirectory()
        let reference: [Labels: [Sample]]
        do {
            let store = try Store(directory: dir.store, options: Self.options())
            reference = try Self.fill(store, seed: seed)
            try store.flush()
            let report = try store.compact()
            #expect(report.rangesRewritten > 0)
            try Self.check(store, reference)
            // Nothing left to do: a second run is a no-op.
            #expect(try store.compact().rangesRewritten == 0)
            try store.close()
        }
        let reopened = try Store(directory: dir.store, options: Self.options())
        try Self.check(reopened, reference)
        #expect(reopened.sourcePositions() == ["p/0": 72])
    }

    @Test func retentionDropsOldRawOnlyAfterRollup() throws {
        let dir = TempDirectory()
        let store = try Store(directory: dir.store, options: Self.options())
        let reference = try Self.fill(store, seed: 9)
        try store.flush()
        _ = try store.compact()
        let newest = store.newestTimestamp!
        let l = Self.series[2]
        let oldest = try store.all(l).timestamps.first!
        #expect(oldest >= newest - 7 * StoreOptions.hour)
        #expect(reference[l]!.map(\.timestamp).min()! < newest - 7 * StoreOptions.hour)
        try Self.check(store, reference)
    }

    @Test func crashDuringPublishRollsBackOrFinishes() throws {
        for failOn in ["blocks/", "rollups/"] {
            let dir = TempDirectory()
            let faults = FaultPlan()
            let reference: [Labels: [Sample]]
            do {
                let store = try Store(directory: dir.store, options: Self.options(), fileSystem: FileSystem(faults: faults))
                reference = try Self.fill(store, seed: 4)
                try store.flush()
                faults.fail(.rename, errno: 5, times: 1, pathContains: failOn)
                #expect(throws: StoreError.self) { _ = try store.compact() }
                try store.close()
            }
            let reopened = try Store(directory: dir.store, options: Self.options())
            #expect(reopened.openReport.recoveredCompaction != nil || failOn == "blocks/")
            try Self.check(reopened, reference)
            _ = try reopened.compact()
            try Self.check(reopened, reference)
        }
    }
}
