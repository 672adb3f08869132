import Foundation
import Testing

@testable import Alerting
@testable import TSDB

@Suite struct RuleEngineTests {
    static func rule(_ name: String) throws -> AlertRule {
        try #require(AlertRule.defaults.first { $0.name == name })
    }

    /// Evaluates once per minute over `minutes`; notifications as `minute:state:severity`.
    static func run(_ engine: inout RuleEngine, minutes: ClosedRange<Int>) -> ([String], [AlertNotification]) {
        var lines: [String] = []
        var all: [AlertNotification] = []
        for k in minutes {
            for n in engine.evaluate(at: RulesTestStore.minute(k)) {
                lines.append("\(k):\(n.state.rawValue):\(n.severity.rawValue)")
                all.append(n)
            }
        }
        return (lines, all)
    }

    /// p99 crosses 2000 ms, then 5000 ms, then falls back: pending (for 1m), warning, critical, resolved.
    @Test func latencyP99Lifecycle() throws {
        let s = try RulesTestStore()
        try s.writeEvents(service: "checkout", minutes: 0..<45, perMinute: 60) { m in
            switch m {
            case 10..<20: 3_000
            case 20..<30: 8_000
            default: 100
            }
        }
        var engine = RuleEngine(store: s.store, rules: [try Self.rule("api_latency_p99")])
        let (lines, all) = Self.run(&engine, minutes: 1...44)
        #expect(lines == ["12:firing:warning", "21:firing:critical", "35:resolved:critical"])
        #expect(engine.lastErrors.isEmpty && engine.counters.evaluations == 44)
        #expect(engine.limiter.counters.sentWarning == 1 && engine.limiter.counters.sentCritical == 1)
        #expect(engine.limiter.counters.sentResolved == 1)
        let critical = all[1]
        #expect(critical.key == #"api_latency_p99{service="checkout"}"# && critical.service == "checkout")
        // Quantiles come from a sketch with a relative error bound of about 1%.
        func near(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 0.01 * b } ?? false }
        #expect(near(critical.value, 8_000) && critical.threshold == 5_000 && critical.previousSeverity == .warning)
        #expect(critical.recent.map(\.t) == (17...21).map { RulesTestStore.minute($0) })
        #expect(zip(critical.recent.map(\.v), [3_000, 3_000, 3_000, 3_000, 8_000]).allSatisfy { near($0, $1) })
        #expect(critical.text.hasPrefix("[CRITICAL] api_latency_p99 service=checkout: value 80"))
        #expect(critical.text.contains("> 5000 over 5m (was warning). Action: Check checkout's recent deploys"))
        #expect(all[2].threshold == 1_500 && all[2].text.hasPrefix("[RESOLVED]"))
        let h = try #require(critical.health?["1m"])
        #expect(h.count == 60 && near(h.p99LatencyMs, 8_000) && h.avgLatencyMs == 8_000 && h.errorRatePercent == 0 && h.throughputRps == 1)
        #expect(critical.health?.keys.sorted() == ["1h", "1m", "5m"])
    }

    /// Error rate 8% -> warning, 30% -> critical, falling back through warning to resolved.
    @Test func errorRateLifecycle() throws {
        let s = try RulesTestStore()
        try s.writeEvents(
            service: "pay", minutes: 0..<45, perMinute: 100,
            errors: { m in
                switch m {
                case 10..<20: 8
                case 20..<30: 30
                default: 0
                }
            }, latency: { _ in 50 })
        var engine = RuleEngine(store: s.store, rules: [try Self.rule("error_rate")])
        let (lines, all) = Self.run(&engine, minutes: 1...44)
        #expect(lines == ["15:firing:warning", "21:firing:critical", "34:firing:warning", "35:resolved:warning"])
        let values = all.compactMap(\.value)
        #expect(values.count == 4 && zip(values, [0.08, 0.124, 0.06, 0]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(all[1].health?["5m"]?.errorRatePercent == 12.4)
    }

    /// Throughput drops to 40% of the hour before: critical (for 2m), de-escalation within the
    /// cool-down suppressed, resolved once the drop is below 20% (reported at the machine's
    /// last severity, warning).
    @Test func throughputDropWithBaseline() throws {
        let s = try RulesTestStore()
        try s.writeEvents(service: "search", minutes: 0..<90, perMinute: 100) { _ in 20 }
        // Replace minutes 70..<80 by a lower rate: written as its own service to keep series sorted.
        let s2 = try RulesTestStore()
        try s2.writeEvents(service: "search", minutes: 0..<70, perMinute: 100) { _ in 20 }
        try s2.writeEvents(service: "search", minutes: 70..<80, perMinute: 40) { _ in 20 }
        try s2.writeEvents(service: "search", minutes: 80..<90, perMinute: 100) { _ in 20 }
        var steady = RuleEngine(store: s.store, rules: [try Self.rule("throughput_drop")])
        #expect(Self.run(&steady, minutes: 60...89).0.isEmpty)
        var engine = RuleEngine(store: s2.store, rules: [try Self.rule("throughput_drop")])
        let (lines, all) = Self.run(&engine, minutes: 60...89)
        #expect(lines == ["75:firing:critical", "83:resolved:warning"])
        let fire = try #require(all.first)
        #expect(abs((fire.value ?? 0) - 0.6) < 1e-12)
        #expect(abs((fire.baseline ?? 0) - 100.0 / 60) < 1e-12)
        #expect(engine.limiter.counters.suppressedCooldown == 1)
        // Without any baseline data (first hour), the drop is "no data".
        var early = RuleEngine(store: s2.store, rules: [try Self.rule("throughput_drop")])
        _ = early.evaluate(at: RulesTestStore.minute(3))
        #expect(early.phase(of: #"throughput_drop{service="search"}"#) == .inactive)
    }

    /// PromQL rules: one alert per output series, labels merged, bad expressions counted.
    @Test func expressionRules() throws {
        let s = try RulesTestStore()
        var batch = WriteBatch()
        for (service, v) in [("a", 50.0), ("b", 90.0), ("c", 99.0)] {
            batch.append(Labels(type: "cpu_usage", service: service), RulesTestStore.minute(0), v)
        }
        _ = try s.store.append(batch)
        let cpu = AlertRule(
            name: "cpu_high", kind: .expression("max by (service) (cpu_usage)"), window: 60_000,
            thresholds: AlertThresholds(warning: 80, critical: 95), suggestedAction: "Scale {service}", labels: ["team": "infra"])
        let broken = AlertRule(
            name: "broken", kind: .expression("sum(("), window: 60_000, thresholds: AlertThresholds(warning: 1, critical: nil))
        var engine = RuleEngine(store: s.store, rules: [broken, cpu])
        let out = engine.evaluate(at: RulesTestStore.minute(1))
        #expect(out.map(\.key) == [#"cpu_high{service="b"}"#, #"cpu_high{service="c"}"#])
        #expect(out.map(\.severity) == [.warning, .critical])
        #expect(out[0].labels == ["service": "b", "team": "infra"] && out[0].suggestedAction == "Scale b")
        #expect(engine.lastErrors.map(\.rule) == ["broken"] && engine.counters.evaluationErrors == 1)
        #expect(engine.activeAlerts.map(\.key) == out.map(\.key))
    }

    /// External observations share the lifecycle, dedup and JSON shape.
    @Test func externalObservationsAndJSON() throws {
        let s = try RulesTestStore()
        var engine = RuleEngine(store: s.store, rules: [])
        let th = AlertThresholds(warning: 3, critical: 6, resolve: 2)
        let labels = ["service": "ghost", "metric": "cpu_usage"]
        func feed(_ v: Double, _ m: Int) -> [AlertNotification] {
            engine.observe(ruleName: "anomaly", key: "anomaly{cpu}", labels: labels, value: v, thresholds: th, at: RulesTestStore.minute(m))
        }
        #expect(feed(1, 0).isEmpty)
        let fired = feed(4, 1)
        #expect(fired.count == 1 && feed(5, 2).isEmpty)
        let n = try #require(fired.first)
        #expect(n.health == nil)  // the store has never seen "ghost"
        let json = try #require(try JSONSerialization.jsonObject(with: n.jsonData()) as? [String: Any])
        #expect(json["rule"] as? String == "anomaly" && json["state"] as? String == "firing")
        #expect(json["severity"] as? String == "warning" && json["value"] as? Double == 4)
        #expect(json["threshold"] as? Double == 3 && json["window_ms"] as? Int == 0)
        #expect(json["baseline"] is NSNull && json["health"] is NSNull && json["storm"] is NSNull)
        #expect((json["recent"] as? [[String: Any]])?.count == 2)
        #expect(json["timestamp"] as? Int64 == RulesTestStore.minute(1))
        #expect((json["text"] as? String)?.hasPrefix("[WARNING] anomaly metric=cpu_usage service=ghost: value 4 > 3") == true)
        let back = try JSONDecoder().decode(AlertNotification.self, from: n.jsonData())
        #expect(back == n)
        #expect(feed(1, 3).map(\.state) == [.resolved])
    }

    /// A storm: 500 services breach at once; the cap goes out, the rest comes as one summary.
    @Test func stormSummaryAfterTheMinute() throws {
        let s = try RulesTestStore()
        var engine = RuleEngine(store: s.store, rules: [], maxPerMinute: 25)
        let th = AlertThresholds(warning: 1, critical: 10)
        var sent = 0
        for i in 0..<500 {
            sent +=
                engine.observe(ruleName: "x", key: "x\(i)", labels: [:], value: 20, thresholds: th, at: RulesTestStore.minute(0) + Int64(i))
                .count
        }
        #expect(sent == 25)
        #expect(engine.evaluate(at: RulesTestStore.minute(0) + 59_000).isEmpty)
        let summary = engine.evaluate(at: RulesTestStore.minute(1))
        #expect(summary.count == 1 && summary[0].rule == AlertNotification.stormRule)
        #expect(summary[0].storm?.held == 475 && summary[0].storm?.critical == 475 && summary[0].severity == .critical)
        #expect(summary[0].storm?.sampleKeys.count == 10 && engine.counters.stormSummaries == 1)
        #expect(try JSONSerialization.jsonObject(with: summary[0].jsonData()) is [String: Any])
    }
}
