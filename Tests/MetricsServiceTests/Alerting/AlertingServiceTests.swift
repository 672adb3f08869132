import Alerting
import Consumer
import Foundation
import LocalRedis
import Query
import TSDB
import Testing

@testable import MetricsService

/// The service's alerting loop over a real store: rules, anomalies and SLO burn rates raise
/// notifications that reach every notifier (a recording one, the store, a real redis-server),
/// recording rules and self-monitoring write queryable series.
@Suite struct AlertingServiceTests {
    static let start: Int64 = 1_764_000_000_000 - 1_764_000_000_000 % 3_600_000
    static let minute: Int64 = 60_000

    /// A store in a temp directory; removed when released.
    final class TestStore {
        let path = NSTemporaryDirectory() + "alerting-service-\(UUID().uuidString)"
        let store: Store
        init() throws {
            var options = StoreOptions()
            options.fsync = .never
            store = try Store(directory: path, options: options)
        }
        deinit {
            try? store.close()
            try? FileManager.default.removeItem(atPath: path)
        }

        /// One minute of `api_latency_ms` events of `service`: `n` events at `latency` ms, `errors` of them 503s.
        func minute(_ service: String, at t: Int64, n: Int = 60, latency: Double = 120, errors: Int = 0) throws {
            var batch = WriteBatch(capacity: n)
            for i in 0..<n {
                let status = i < errors ? "503" : "200"
                batch.append(
                    Labels(type: "api_latency_ms", service: service, tags: ["status": status]), t + Int64(i) * (60_000 / Int64(n)),
                    latency + Double(i % 7))
            }
            #expect(try store.append(batch).accepted == n)
        }
    }

    /// Collects what it is given.
    final class RecordingNotifier: AlertNotifier, @unchecked Sendable {
        let name = "recording"
        private let lock = NSLock()
        private var items: [AlertNotification] = []
        var received: [AlertNotification] { lock.withLock { items } }
        func deliver(_ n: AlertNotification) async throws { lock.withLock { items.append(n) } }
    }

    static func config(_ edit: (inout ServiceFileConfig) -> Void = { _ in }) -> ServiceFileConfig {
        var c = ServiceFileConfig()
        c.alerts.evaluationInterval = minute
        c.anomaly.enabled = false
        c.recordingRules = []
        edit(&c)
        return c
    }

    @Test func latencyRuleFiresAndResolvesThroughEveryNotifier() async throws {
        let db = try TestStore()
        let redis = try RedisServer()
        let mirror = RedisMirror(pool: RedisPool(options: redis.options(), maxConnections: 1))
        let recorder = RecordingNotifier()
        let service = AlertingService(
            store: db.store, config: Self.config(),
            notifiers: [recorder, StoreAlertNotifier(store: db.store), RedisAlertNotifier(mirror: mirror, length: 3)], clock: { 0 })
        // 10 calm minutes, 10 at 3 s p99 (critical is 5 s, warning 2 s), 10 calm again.
        var t = Self.start
        for m in 0..<30 {
            try db.minute("checkout", at: t, latency: (10..<20).contains(m) ? 3000 : 120)
            t += Self.minute
            service.tick(now: t)
        }
        await service.stop()
        let sent = recorder.received.filter { $0.rule == "api_latency_p99" }
        #expect(sent.map(\.state) == [.firing, .resolved], "\(sent.map(\.text))")
        let firing = try #require(sent.first)
        #expect(firing.severity == .warning && firing.service == "checkout" && firing.threshold == 2000)
        #expect((firing.value ?? 0) > 2000 && !firing.recent.isEmpty && firing.health?["5m"] != nil && !firing.suggestedAction.isEmpty)
        #expect(service.stats.notifications["warning"] == 1 && service.stats.notifications["resolved"] == 1)

        // The store holds the alert history as a series.
        let (value, _) = try PromQLEngine(store: db.store).instant("last_over_time(alerts{alertname=\"api_latency_p99\"}[1h])", at: t)
        guard case .vector(let v) = value else {
            Issue.record("not a vector: \(value)")
            return
        }
        #expect(Dictionary(uniqueKeysWithValues: v.map { ($0.labels["state"] ?? "", $0.v) }) == ["firing": 1, "resolved": 0])

        // Redis: newest first, parseable, capped.
        let c = try RedisConnection(options: redis.options())
        let list = (try c.command("LRANGE", "metrics:alerts", 0, -1).elements ?? []).compactMap(\.text)
        #expect(list.count == 2)
        let newest = try #require(try JSONSerialization.jsonObject(with: Data(list[0].utf8)) as? [String: Any])
        #expect(newest["state"] as? String == "resolved" && newest["rule"] as? String == "api_latency_p99")
    }

    @Test func fastBurnRateAlertsOnAnSLO() async throws {
        let db = try TestStore()
        let recorder = RecordingNotifier()
        let config = Self.config { c in
            c.alerts.rules = []
            c.slos = [SLOSpec(name: "checkout-availability", service: "checkout", objective: .availability(target: 0.999))]
        }
        let service = AlertingService(store: db.store, config: config, notifiers: [recorder], clock: { 0 })
        var t = Self.start
        for m in 0..<70 {
            // 5 % errors from minute 10 on: a burn rate of 50x a 99.9 % objective.
            try db.minute("checkout", at: t, errors: m >= 10 ? 3 : 0)
            t += Self.minute
            service.tick(now: t)
        }
        await service.stop()
        let burn = recorder.received.filter { $0.rule == "slo_burn_rate" && $0.state == .firing }
        #expect(burn.contains { $0.severity == .critical && $0.labels["burn_window"] == "fast" }, "\(recorder.received.map(\.text))")
        let report = try #require(service.sloReports.first)
        #expect(report.status.budgetRemaining < 0 && report.burn.condition("fast")?.holds == true)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(service.sloJSON().utf8)) as? [String: Any])
        #expect((json["data"] as? [[String: Any]])?.first?["name"] as? String == "checkout-availability")
    }

    @Test func anomalyOnALatencyShiftGoesThroughTheLifecycle() async throws {
        let db = try TestStore()
        let recorder = RecordingNotifier()
        let config = Self.config { c in
            c.alerts.rules = []
            c.anomaly.enabled = true
            c.anomaly.evaluationInterval = Self.minute
            c.anomaly.metrics = [.p99LatencyMs]
        }
        let service = AlertingService(store: db.store, config: config, notifiers: [recorder], clock: { 0 })
        var t = Self.start
        var rng = SystemRandomNumberGenerator()
        for m in 0..<150 {
            // Noisy but steady around 120 ms for two hours, then a 4x level shift.
            try db.minute("search", at: t, latency: (m >= 120 ? 480 : 120) + Double.random(in: 0..<15, using: &rng))
            t += Self.minute
            service.tick(now: t)
        }
        await service.stop()
        let anomalies = recorder.received.filter { $0.rule == "anomaly" && $0.state == .firing }
        #expect(!anomalies.isEmpty, "no anomaly alert after the shift")
        #expect(anomalies.allSatisfy { $0.timestamp > Self.start + 120 * Self.minute }, "false alarm before the shift")
        #expect(anomalies.first?.labels["figure"] == "p99_latency_ms" && anomalies.first?.service == "search")
        #expect(service.stats.anomalyPointsScored >= 150)
    }

    @Test func recordingRulesAndSelfMonitoringWriteQueryableSeries() async throws {
        let db = try TestStore()
        let config = Self.config { c in
            c.alerts.rules = []
            c.recordingRules = [
                RecordingRule(
                    name: "checkout_events_per_minute", expression: "sum(count_over_time(api_latency_ms[1m]))", interval: Self.minute)
            ]
        }
        let service = AlertingService(
            store: db.store, config: config, notifiers: [], clock: { 0 },
            selfMetrics: { [MetricFamily(name: "consumer_messages_total", type: "counter", help: "x", samples: [.init(value: 42)])] })
        var t = Self.start
        for _ in 0..<3 {
            try db.minute("checkout", at: t)
            t += Self.minute
            service.tick(now: t)
        }
        await service.stop()
        let engine = PromQLEngine(store: db.store)
        guard case .vector(let recorded) = try engine.instant("checkout_events_per_minute", at: t).0 else {
            Issue.record("recorded series missing")
            return
        }
        #expect(recorded.first?.v == 60)
        guard case .vector(let own) = try engine.instant("consumer_messages_total{service=\"metrics-consumer\"}", at: t).0 else {
            Issue.record("self-monitoring series missing")
            return
        }
        #expect(own.first?.v == 42)
        #expect(service.stats.selfSamplesWritten >= 1 && service.stats.recordingEvaluations == 3)
    }

    @Test func capacityReportsTheTrendAndDaysUntilTheLimit() throws {
        let db = try TestStore()
        let config = Self.config { c in
            c.alerts.rules = []
            c.capacity = [
                CapacitySpec(name: "cpu", metric: "cpu_usage_percent", service: "worker", limit: 90, window: 3 * StoreOptions.day)
            ]
        }
        let service = AlertingService(store: db.store, config: config, notifiers: [], clock: { 0 })
        // CPU rising 10 points a day from 30, one sample every 10 minutes for 3 days.
        var batch = WriteBatch()
        let step = 10 * Self.minute
        let points = Int(3 * StoreOptions.day / step)
        for i in 0..<points {
            let t = Self.start + Int64(i) * step
            batch.append(
                Labels(type: "cpu_usage_percent", service: "worker"), t, 30 + 10 * Double(t - Self.start) / Double(StoreOptions.day))
        }
        #expect(try db.store.append(batch).accepted == points)
        let end = Self.start + 3 * StoreOptions.day
        let json = try #require(try JSONSerialization.jsonObject(with: Data(service.capacityJSON(now: end).utf8)) as? [String: Any])
        let entry = try #require((json["data"] as? [[String: Any]])?.first)
        let slope = try #require(entry["slope_per_day"] as? Double)
        let days = try #require(entry["days_until_limit"] as? Double)
        #expect(abs(slope - 10) < 0.2, "slope \(slope)")
        #expect(abs(days - 3) < 0.2, "days \(days)")
    }

    @Test func reloadAppliesNewRulesFromTheNextRound() async throws {
        let db = try TestStore()
        let recorder = RecordingNotifier()
        // No rules at first: a slow service raises nothing.
        let service = AlertingService(store: db.store, config: Self.config { $0.alerts.rules = [] }, notifiers: [recorder], clock: { 0 })
        var t = Self.start
        for _ in 0..<6 {
            try db.minute("checkout", at: t, latency: 3000)
            t += Self.minute
            service.tick(now: t)
        }
        #expect(recorder.received.isEmpty)
        // The reloaded file brings the latency rule (warning 1000 ms here): it fires on the next rounds.
        var rule = AlertRule.defaults[0]
        rule.thresholds.warning = 1000
        service.reload(Self.config { $0.alerts.rules = [rule] })
        #expect(service.config.alerts.rules.map(\.name) == ["api_latency_p99"])
        for _ in 0..<3 {
            try db.minute("checkout", at: t, latency: 3000)
            t += Self.minute
            service.tick(now: t)
        }
        await service.stop()
        let fired = recorder.received.filter { $0.rule == "api_latency_p99" && $0.state == .firing }
        #expect(fired.count == 1 && fired.first?.threshold == 1000, "\(recorder.received.map(\.text))")
    }
}
