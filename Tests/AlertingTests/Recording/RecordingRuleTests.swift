import Query
import TSDB
import Testing

@testable import Alerting

@Suite struct RecordingRuleTests {
    static let t = sloTestNow

    /// cpu_usage_percent of two services at t - 30 s: svc-a 20, svc-b 40.
    static func cpuStore() throws -> SLOTestStore {
        let db = try SLOTestStore()
        try db.append([
            (Labels(type: "cpu_usage_percent", service: "svc-a"), t - 30_000, 20),
            (Labels(type: "cpu_usage_percent", service: "svc-b"), t - 30_000, 40),
        ])
        return db
    }

    /// The instant vector of `query` at `time` as (labels, value).
    static func query(_ store: Store, _ query: String, at time: Int64) throws -> [(Labels, Double)] {
        guard case .vector(let v) = try PromQLEngine(store: store).instant(query, at: time).0 else { throw SLOTestFailure("not a vector") }
        return v.map { ($0.labels, $0.v) }
    }

    @Test func vectorOutputIsRecordedWithLabels() throws {
        let db = try Self.cpuStore()
        let rule = RecordingRule(name: "cpu_doubled", expression: "2 * cpu_usage_percent", labels: ["team": "ops"])
        var runner = RecordingRuleRunner(store: db.store, rules: [rule])
        #expect(runner.evaluate(0, at: Self.t) == .recorded(samples: 2, rejected: 0))
        let back = try Self.query(db.store, "cpu_doubled", at: Self.t + 1000)
        #expect(
            back.map(\.0) == [
                Labels(["__name__": "cpu_doubled", "service": "svc-a", "team": "ops"]),
                Labels(["__name__": "cpu_doubled", "service": "svc-b", "team": "ops"]),
            ])
        #expect(back.map(\.1) == [40, 80])
        let raw = try db.store.samples(Labels(["__name__": "cpu_doubled", "service": "svc-a", "team": "ops"]))
        #expect(raw.samples == [Sample(Self.t, 40)])
        #expect(runner.stats[0].samplesWritten == 2)
    }

    @Test func extraLabelsOverrideOutputLabels() {
        let rule = RecordingRule(name: "r", expression: "x", labels: ["service": "fleet", "__name__": "ignored"])
        #expect(
            rule.recordedLabels(Labels(["__name__": "x", "service": "svc-a", "host": "h1"]))
                == Labels(["__name__": "r", "service": "fleet", "host": "h1"]))
    }

    @Test func scalarBecomesOneSeries() throws {
        let db = try Self.cpuStore()
        var runner = RecordingRuleRunner(
            store: db.store,
            rules: [RecordingRule(name: "total_cpu", expression: "scalar(sum(cpu_usage_percent))", labels: ["scope": "fleet"])])
        #expect(runner.evaluate(0, at: Self.t) == .recorded(samples: 1, rejected: 0))
        let back = try Self.query(db.store, "total_cpu", at: Self.t)
        #expect(back.map(\.0) == [Labels(["__name__": "total_cpu", "scope": "fleet"])])
        #expect(back.map(\.1) == [60])
    }

    @Test func badExpressionIsCountedNotFatal() throws {
        let db = try Self.cpuStore()
        var runner = RecordingRuleRunner(
            store: db.store,
            rules: [
                RecordingRule(name: "broken", expression: "sum(cpu_usage_percent"),
                RecordingRule(name: "matrix", expression: "cpu_usage_percent[5m]"),
                RecordingRule(name: "fine", expression: "sum(cpu_usage_percent)"),
            ])
        let outcomes = runner.runDue(at: Self.t)
        #expect(outcomes.count == 3)
        #expect(runner.stats(named: "broken")?.failures == 1)
        #expect(runner.stats(named: "broken")?.lastError != nil)
        #expect(runner.stats(named: "matrix")?.failures == 1)
        #expect(runner.stats(named: "fine")?.failures == 0)
        #expect(try Self.query(db.store, "fine", at: Self.t).map(\.1) == [60])
        _ = runner.runDue(at: Self.t + 60_000)
        #expect(runner.stats(named: "broken")?.failures == 2)
    }

    @Test func storeRejectionIsCounted() throws {
        let db = try Self.cpuStore()
        // An extra label name the store refuses: every sample is rejected, nothing throws.
        var runner = RecordingRuleRunner(
            store: db.store, rules: [RecordingRule(name: "bad_labels", expression: "cpu_usage_percent", labels: ["bad-name": "x"])])
        #expect(runner.evaluate(0, at: Self.t) == .recorded(samples: 0, rejected: 2))
        #expect(runner.stats[0].samplesRejected == 2)
    }

    @Test func sameTimeIsRecordedOnce() throws {
        let db = try Self.cpuStore()
        let rule = RecordingRule(name: "cpu_sum", expression: "sum(cpu_usage_percent)")
        var runner = RecordingRuleRunner(store: db.store, rules: [rule])
        #expect(runner.evaluate(0, at: Self.t) == .recorded(samples: 1, rejected: 0))
        #expect(runner.evaluate(0, at: Self.t) == .skippedDuplicate)
        #expect(runner.evaluate(0, at: Self.t - 1) == .skippedDuplicate)
        // A restarted runner has no memory; the store's source positions catch the replay.
        var restarted = RecordingRuleRunner(store: db.store, rules: [rule])
        #expect(restarted.evaluate(0, at: Self.t) == .skippedDuplicate)
        #expect(try db.store.samples(Labels(["__name__": "cpu_sum"])).count == 1)
        #expect(runner.stats[0].duplicates == 2)
    }

    @Test func rulesRunOnTheirInterval() throws {
        let db = try Self.cpuStore()
        var runner = RecordingRuleRunner(
            store: db.store,
            rules: [
                RecordingRule(name: "every_minute", expression: "sum(cpu_usage_percent)", interval: 60_000),
                RecordingRule(name: "every_15s", expression: "sum(cpu_usage_percent)", interval: 15_000),
            ])
        #expect(runner.runDue(at: Self.t).map(\.index) == [0, 1])
        #expect(runner.runDue(at: Self.t + 30_000).map(\.index) == [1])
        #expect(runner.runDue(at: Self.t + 60_000).map(\.index) == [0, 1])
        #expect(runner.stats.map(\.evaluations) == [2, 3])
    }
}
