import TSDB
import Testing

@testable import Consumer

@Suite struct TransformSampleTests {
    /// Interleaved events of several series, split into random batches.
    @Test(arguments: [1, 2, 3, 10]) func keepsExactlyOneInNPerSeries(every: Int) {
        var rng = TransformTestRNG(seed: UInt64(every))
        let sampler = SampleTransformer(metric: "cpu", every: every)
        var perSeries: [String: [Int64]] = [:]  // timestamps seen, per host
        var kept: [String: [Int64]] = [:]
        var others = 0
        var t: Int64 = 0
        for _ in 0..<50 {
            var batch: [MetricEvent] = []
            for _ in 0..<Int.random(in: 0..<40, using: &rng) {
                t += 1
                let host = "h\(Int.random(in: 0..<5, using: &rng))"
                let type = Int.random(in: 0..<4, using: &rng) == 0 ? "mem" : "cpu"
                if type == "cpu" { perSeries[host, default: []].append(t) } else { others += 1 }
                batch.append(MetricEvent(labels: Labels(type: type, service: "s", tags: ["host": host]), timestamp: t, value: 1))
            }
            sampler.apply(&batch)
            for e in batch {
                if e.labels.metricType == "cpu" { kept[e.labels["host"] ?? "", default: []].append(e.timestamp) } else { others -= 1 }
            }
        }
        #expect(others == 0)
        for (host, all) in perSeries {
            // Brute force: the 1st, (N+1)th, (2N+1)th... event of each series.
            let expected = all.enumerated().filter { $0.offset % every == 0 }.map(\.element)
            #expect(kept[host] ?? [] == expected, "\(host)")
        }
    }

    @Test func memoryIsBoundedAndForgottenSeriesRestart() {
        let sampler = SampleTransformer(metric: "m", every: 4, maxSeries: 10, forgetAfter: 1_000)
        for i in 0..<1_000 {
            var batch = [MetricEvent(labels: Labels(type: "m", service: "s", tags: ["id": "\(i)"]), timestamp: Int64(i), value: 0)]
            sampler.apply(&batch)
            #expect(batch.count == 1)  // every series is new: its first event is kept
            #expect(sampler.trackedSeries <= 20)
        }
        // One series, seen, then silent for two generations: its count starts afresh.
        let s = SampleTransformer(metric: "m", every: 4, maxSeries: 100, forgetAfter: 1_000)
        let labels = Labels(type: "m", service: "s")
        var first = [MetricEvent(labels: labels, timestamp: 0, value: 0), MetricEvent(labels: labels, timestamp: 1, value: 0)]
        s.apply(&first)
        #expect(first.count == 1)
        var tick = [MetricEvent(labels: Labels(type: "m", service: "other"), timestamp: 1_500, value: 0)]
        s.apply(&tick)
        var tock = [MetricEvent(labels: Labels(type: "m", service: "other"), timestamp: 3_000, value: 0)]
        s.apply(&tock)
        var again = [MetricEvent(labels: labels, timestamp: 3_001, value: 0)]
        s.apply(&again)
        #expect(again.count == 1)
    }
}
