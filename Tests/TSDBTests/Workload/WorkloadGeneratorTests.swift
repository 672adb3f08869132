import TSDB
import Testing

@testable import Workload

@Suite struct WorkloadGeneratorTests {
    static let twoMinutes = WorkloadSpec.defaultDay.scaled(durationMs: 120_000)

    @Test func sameSeedSameStreamWhateverTheBatchSize() {
        let a = WorkloadCapture(Self.twoMinutes, batchSize: 1000)
        let b = WorkloadCapture(Self.twoMinutes, batchSize: 4099)
        #expect(a.series.count > 80_000)
        #expect(a.series == b.series)
        #expect(a.timestamps == b.timestamps)
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.batchSizes.dropLast().allSatisfy { $0 == 1000 })
        #expect(b.batchSizes.dropLast().allSatisfy { $0 == 4099 })
    }

    @Test func differentSeedDifferentStream() {
        let a = WorkloadCapture(Self.twoMinutes)
        let b = WorkloadCapture(Self.twoMinutes.seeded(43))
        #expect(a.fingerprint != b.fingerprint)
        #expect(a.timestamps != b.timestamps)
    }

    @Test func replayingTheSameGeneratorRepeatsTheStream() {
        var generator = WorkloadGenerator(WorkloadSpec.defaultDay.scaled(durationMs: 20_000))
        var first: [Double] = []
        var second: [Double] = []
        generator.forEachColumnBatch(batchSize: 512) { _, _, v in first.append(contentsOf: v) }
        generator.forEachColumnBatch(batchSize: 512) { _, _, v in second.append(contentsOf: v) }
        #expect(!first.isEmpty)
        #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
    }

    @Test func timeOrderedAndInRange() {
        let w = WorkloadFixtures.tenMinutes
        let spec = WorkloadSpec.defaultDay.scaled(durationMs: 600_000).starting(atHour: 9)
        #expect(zip(w.timestamps, w.timestamps.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(w.timestamps.first.map { $0 >= spec.start } == true)
        #expect(w.timestamps.last.map { $0 < spec.start + spec.durationMs } == true)
        #expect(w.series.allSatisfy { $0 >= 0 && Int($0) < w.labels.count })
    }

    @Test func seriesTableDescribesTheFleet() {
        let generator = WorkloadGenerator(.defaultDay)
        let labels = generator.seriesLabels
        #expect(Set(labels).count == labels.count)
        #expect(Set(labels.map(\.serviceName)).count == 20)
        #expect(labels.contains { $0.serviceName == "checkout-api" })
        for (label, kind) in zip(labels, generator.seriesKinds) {
            #expect((label.metricType == "api_latency_ms") == (kind == .event))
            if kind == .event {
                #expect(label["endpoint"] != nil && label["status"] != nil)
            }
        }
        let services = WorkloadGenerator(WorkloadSpec(services: 45)).seriesLabels.map(\.serviceName)
        #expect(Set(services).count == 45)
    }

    @Test func eventRateAndStatusSharesWithinBounds() {
        let w = WorkloadFixtures.tenMinutes
        var events = 0
        var client = 0
        var server = 0
        for s in w.series where w.kinds[Int(s)] == .event {
            events += 1
            switch w.labels[Int(s)]["status"] {
            case "400", "404": client += 1
            case "500", "503": server += 1
            default: break
            }
        }
        // 20 services x 50/s x 600 s at load factor ~1; Poisson noise is ~0.1 %.
        #expect(abs(Double(events) / 600_000 - 1) < 0.03)
        let clientShare = Double(client) / Double(events)
        let serverShare = Double(server) / Double(events)
        #expect(clientShare > 0.009 && clientShare < 0.011)
        #expect(serverShare > 0.005 && serverShare < 0.05)
    }

    @Test func latencyValuesArePositiveWithTwoDecimals() {
        let w = WorkloadFixtures.tenMinutes
        var spread: [Double] = []
        for i in w.series.indices where w.kinds[Int(w.series[i])] == .event {
            let v = w.values[i]
            #expect(v >= 0 && v < 100_000)
            #expect(((v * 100).rounded() / 100).bitPattern == v.bitPattern)
            if spread.count < 50_000 { spread.append(v) }
        }
        spread.sort()
        let median = spread[spread.count / 2]
        #expect(median > 20 && median < 200)
    }

    @Test func gaugesAreWellFormed() {
        let w = WorkloadFixtures.tenMinutes
        for i in w.series.indices where w.kinds[Int(w.series[i])] == .regular {
            let v = w.values[i]
            switch w.labels[Int(w.series[i])].metricType {
            case "cpu_usage_percent":
                #expect(v >= 0 && v <= 100 && ((v * 10).rounded() / 10).bitPattern == v.bitPattern)
            case "memory_usage_bytes":
                #expect(v > 0 && v.truncatingRemainder(dividingBy: 4096) == 0)
            case "queue_depth", "requests_total", "errors_total":
                #expect(v >= 0 && v.rounded() == v)
            case "gc_pause_ms":
                #expect(v >= 0 && ((v * 100).rounded() / 100).bitPattern == v.bitPattern)
            default:
                Issue.record("unexpected gauge \(w.labels[Int(w.series[i])])")
            }
        }
    }

    @Test func gaugeTimestampsFollowTheGrid() {
        let w = WorkloadFixtures.tenMinutes
        let rows = w.rowsBySeries()
        // Service 0 is scraped exactly on its grid; service 2 reports with a few ms of jitter.
        let exact = w.seriesIndices(metric: "cpu_usage_percent", service: "recommendation-api")[0]
        let jittered = w.seriesIndices(metric: "cpu_usage_percent", service: "checkout-api")[0]
        let exactDeltas = zip(rows[exact], rows[exact].dropFirst()).map { w.timestamps[$1] - w.timestamps[$0] }
        let jitterDeltas = zip(rows[jittered], rows[jittered].dropFirst()).map { w.timestamps[$1] - w.timestamps[$0] }
        #expect(exactDeltas.count >= 58)
        #expect(exactDeltas.allSatisfy { $0 % 10_000 == 0 })
        #expect(jitterDeltas.allSatisfy { abs($0 - 10_000 * (($0 + 5_000) / 10_000)) <= 10 })
        #expect(jitterDeltas.contains { $0 != 10_000 })
    }

    @Test func metricEventBatchesMatchColumnBatches() {
        let spec = WorkloadSpec(services: 3, durationMs: 30_000)
        let columns = WorkloadCapture(spec, batchSize: 300)
        var generator = WorkloadGenerator(spec)
        var events: [MetricEvent] = []
        generator.forEachBatch(batchSize: 300) { batch in
            #expect(batch.count <= 300)
            events.append(contentsOf: batch)
        }
        #expect(events.count == columns.series.count)
        for i in events.indices {
            #expect(
                events[i]
                    == MetricEvent(
                        labels: columns.labels[Int(columns.series[i])], timestamp: columns.timestamps[i], value: columns.values[i]))
        }
    }

    @Test func errorsFromTheBodyPropagate() {
        struct Stop: Error {}
        var generator = WorkloadGenerator(WorkloadSpec(services: 2, durationMs: 60_000))
        var calls = 0
        #expect(throws: Stop.self) {
            try generator.forEachColumnBatch(batchSize: 100) { _, _, _ in
                calls += 1
                if calls == 3 { throw Stop() }
            }
        }
        #expect(calls == 3)
    }
}
