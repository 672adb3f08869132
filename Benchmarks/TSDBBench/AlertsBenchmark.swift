import Alerting
import ArgumentParser
import Foundation
import Query
import TSDB
import Workload

#if canImport(Glibc)
    import Glibc
#endif

/// `tsdb-bench alerts [--json]`: rule evaluation throughput of `RuleEngine` over a store holding
/// the generated fleet, and the anomaly detector's throughput and detection quality on the
/// labelled series of `LabelledSeriesGenerator` (unseen seeds 1001, 1002, ...).
struct AlertsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Alert rule evaluation and anomaly detection benchmark.")

    @Option(help: "Hours of the generated 20-service fleet loaded into the store (at least 2: the 1 h baselines need history).")
    var hours: Double = 3

    @Option(help: "Rules per evaluation round: health and PromQL rules per service, cycled over the services.")
    var rules = 1000

    @Option(help: "Wall seconds of timed evaluation rounds for the mixed rule set (the health-only and PromQL-only runs get half each).")
    var seconds: Double = 12

    @Option(help: "Labelled series for the detection figures (12 per seed, seeds from 1001).")
    var series = 96

    @Option(help: "Points per labelled series (60 s apart; 4320 = 3 days).")
    var points = 4320

    @Option(help: "Scratch directory (removed afterwards).")
    var workDir = "/tmp/tsdb-bench-alerts"

    @Flag(help: "Print a JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard hours >= 2 else { throw ValidationError("--hours must be at least 2") }
        guard rules > 0, series > 0, points >= 1440 else { throw ValidationError("--rules, --series > 0, --points >= 1440") }
    }

    func run() throws {
        _ = system("rm -rf '\(workDir)' && mkdir -p '\(workDir)'")
        defer { _ = system("rm -rf '\(workDir)'") }
        let spec = WorkloadSpec.defaultDay.scaled(durationMs: Int64(hours * 3_600_000))
        let l0 = ProcessStats.now()
        let store = try BenchStore.load(spec: spec, directory: workDir + "/store")
        let loadSeconds = ProcessStats.now() - l0
        let services = HealthQuery(store: store).services()
        let ruleSet = Self.ruleSet(services: services, count: rules)
        let healthCount = ruleSet.filter(\.isHealth).count
        let end = spec.start + spec.durationMs
        let mixed = RuleTiming.measure(store: store, rules: ruleSet, end: end, budget: seconds)
        let health = RuleTiming.measure(store: store, rules: ruleSet.filter(\.isHealth), end: end, budget: seconds / 2)
        let expr = RuleTiming.measure(store: store, rules: ruleSet.filter { !$0.isHealth }, end: end, budget: seconds / 2)
        let storeSamples = store.inventory().samples
        try store.close()
        let anomaly = AnomalyTiming.measure(series: series, points: points)

        var figures: [(String, Double, Int, String)] = []
        figures.append(("rule_evals_per_sec", mixed.evalsPerSec, 0, "\(rules) rules, one evaluation = one rule at one t"))
        figures.append(("health_rule_evals_per_sec", health.evalsPerSec, 0, "the \(healthCount) health rules alone"))
        figures.append(("expr_rule_evals_per_sec", expr.evalsPerSec, 0, "the \(rules - healthCount) PromQL rules alone"))
        figures.append(("rule_round_ms", mixed.roundMs, 2, "mean evaluate(at:) of all \(rules) rules"))
        figures.append(("rule_round_cold_ms", mixed.coldMs, 2, "first round, t = end - 1h (hour-aligned)"))
        figures.append(("rule_round_aligned_ms", mixed.alignedMs, 2, "rounds at minute-aligned t: windows of whole 1m rollups"))
        figures.append(("rule_round_unaligned_ms", mixed.unalignedMs, 2, "rounds at t = :30: raw edges decoded per series"))
        figures.append(("rule_rounds", Double(mixed.rounds), 0, "timed rounds, t every 30 s over the last hour"))
        figures.append(("alerts_observed_per_round", mixed.alertsPerRound, 0, "alert instances (series) per round"))
        figures.append(("notifications", Double(mixed.notifications), 0, "notifications returned (cap 30/min)"))
        figures.append(("rule_evaluation_errors", Double(mixed.errors), 0, "failed evaluations (must be 0)"))
        figures.append(("anomaly_points_per_sec", anomaly.interleavedRate, 0, "\(anomaly.seriesCount) alerters fed round-robin, one core"))
        figures.append(("anomaly_points_per_sec_per_series", anomaly.singleRate, 0, "one alerter on one 14-day series"))
        figures.append(("detection_benchmark_points_per_sec", anomaly.benchmarkRate, 0, "DetectionBenchmark.run's own timing"))
        figures.append(("detection_rate", anomaly.report.detectionRate, 3, "incidents with an alert in start...end+15"))
        figures.append(("false_alarms_per_1000", anomaly.report.falseAlarmsPer1000, 3, "alerts outside incidents per 1000 points"))
        figures.append(("mean_delay_points", anomaly.report.meanDelayPoints, 1, "incident start to first alert"))
        figures.append(("detection_incidents", Double(anomaly.report.incidents), 0, "incidents in the labelled set"))
        figures.append(("store_samples", Double(storeSamples), 0, "samples in the store"))
        figures.append(("store_load_sec", loadSeconds, 1, "generate + append + compact (not timed above)"))
        if json {
            print("{" + figures.map { "\"\($0.0)\":\(Self.format($0.1, $0.2))" }.joined(separator: ",") + "}")
            return
        }
        print("alerts benchmark: rules over \(Self.format(hours, 1)) h of a \(services.count)-service fleet (seed \(spec.seed)),")
        print("  \(rules) rules: \(healthCount) health (p99/p95/avg latency, error rate, availability, throughput, drop) +")
        print("  \(rules - healthCount) PromQL (latency quantiles, error ratios, rates, cpu/memory/queue/gc), windows 1m/5m/15m;")
        print("  detection: \(anomaly.report.series) labelled series x \(points) points, seeds 1001-\(1000 + anomaly.seeds)")
        for (k, v, d, help) in figures { print(k.padding(36) + Self.format(v, d).padding(14) + help) }
        for kind in IncidentKind.allCases {
            let n = anomaly.report.incidentsByKind[kind] ?? 0
            print("  detected \(kind.rawValue): \(anomaly.report.detectedByKind[kind] ?? 0)/\(n)")
        }
        if !mixed.firstErrors.isEmpty { print("errors: " + mixed.firstErrors.joined(separator: "; ")) }
    }

    /// A realistic rule file for `services`: per service, health rules (7 figures x windows
    /// 1m/5m/15m, throughput drop on 1m/5m) and PromQL rules (10 expressions x 3 windows); the
    /// i-th rule is template `i / services` for service `i % services`, so every service gets
    /// the same mix.
    static func ruleSet(services: [String], count: Int) -> [AlertRule] {
        let templates = healthTemplates() + expressionTemplates()
        return (0..<count).map { i in
            let service = services[i % services.count]
            let n = i / services.count
            var rule = templates[n % templates.count](service)
            rule.name += n < templates.count ? "" : "_\(n / templates.count)"
            return rule
        }
    }

    static let windows: [(String, Int64)] = [("1m", 60_000), ("5m", 300_000), ("15m", 900_000)]

    private static func healthTemplates() -> [(String) -> AlertRule] {
        let figures: [(HealthMetric, AlertThresholds)] = [
            (.p99LatencyMs, AlertThresholds(warning: 2_000, critical: 5_000, resolve: 1_500, forDuration: 60_000)),
            (.p95LatencyMs, AlertThresholds(warning: 1_500, critical: 4_000, forDuration: 60_000)),
            (.avgLatencyMs, AlertThresholds(warning: 800, critical: 2_000, forDuration: 60_000)),
            (.errorRate, AlertThresholds(warning: 0.05, critical: 0.10, resolve: 0.03, forDuration: 60_000)),
            (.availability, AlertThresholds(direction: .below, warning: 0.95, critical: 0.90, forDuration: 60_000)),
            (.throughputRps, AlertThresholds(direction: .below, warning: 5, critical: 1, forDuration: 120_000)),
            (.throughputDrop, AlertThresholds(warning: 0.30, critical: 0.50, resolve: 0.20, forDuration: 120_000)),
        ]
        var out: [(String) -> AlertRule] = []
        for (metric, thresholds) in figures {
            for (text, window) in windows where !(metric == .throughputDrop && window > 300_000) {
                out.append { service in
                    AlertRule(
                        name: "\(metric.rawValue)_\(text)", kind: .health(metric, services: [service]), window: window,
                        thresholds: thresholds, labels: ["team": "platform"])
                }
            }
        }
        return out
    }

    private static func expressionTemplates() -> [(String) -> AlertRule] {
        let exprs: [(String, String, AlertThresholds)] = [
            ("latency_p99_series", "quantile_over_time(0.99, api_latency_ms{service=\"$S\"}[$W])", .init(warning: 2_000, critical: 5_000)),
            (
                "latency_p95_endpoint", "max by (endpoint) (quantile_over_time(0.95, api_latency_ms{service=\"$S\",status=\"200\"}[$W]))",
                .init(warning: 1_500, critical: 4_000)
            ),
            (
                "latency_avg_endpoint", "avg by (endpoint) (avg_over_time(api_latency_ms{service=\"$S\"}[$W]))",
                .init(warning: 800, critical: 2_000)
            ),
            (
                "error_events_ratio",
                "sum(count_over_time(api_latency_ms{service=\"$S\",status=~\"5..\"}[$W])) / sum(count_over_time(api_latency_ms{service=\"$S\"}[$W]))",
                .init(warning: 0.05, critical: 0.10)
            ),
            (
                "error_counter_ratio", "sum(rate(errors_total{service=\"$S\"}[$W])) / sum(rate(requests_total{service=\"$S\"}[$W]))",
                .init(warning: 0.05, critical: 0.10)
            ),
            ("request_rate", "sum(rate(requests_total{service=\"$S\"}[$W]))", .init(direction: .below, warning: 5, critical: 1)),
            ("cpu_avg", "avg_over_time(cpu_usage_percent{service=\"$S\"}[$W])", .init(warning: 85, critical: 95)),
            ("memory_max_mib", "max_over_time(memory_usage_bytes{service=\"$S\"}[$W]) / 1048576", .init(warning: 14_000, critical: 15_500)),
            ("queue_depth_max", "max_over_time(queue_depth{service=\"$S\"}[$W])", .init(warning: 500, critical: 1_000)),
            ("gc_pause_p99", "quantile_over_time(0.99, gc_pause_ms{service=\"$S\"}[$W])", .init(warning: 200, critical: 500)),
        ]
        var out: [(String) -> AlertRule] = []
        for (name, expr, thresholds) in exprs {
            for (text, window) in windows {
                out.append { service in
                    AlertRule(
                        name: "\(name)_\(text)",
                        kind: .expression(expr.replacingOccurrences(of: "$S", with: service).replacingOccurrences(of: "$W", with: text)),
                        window: window, thresholds: thresholds, labels: ["team": "platform"])
                }
            }
        }
        return out
    }

    static func format(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return "0" }
        var p = 1.0
        for _ in 0..<decimals { p *= 10 }
        let r = (v * p).rounded() / p
        return decimals == 0 ? String(Int64(r)) : String(r)
    }
}

extension AlertRule {
    fileprivate var isHealth: Bool { if case .health = kind { true } else { false } }
}

/// Timed `RuleEngine.evaluate(at:)` rounds at t = end - 1h, +30 s, ... (cycling), one engine.
struct RuleTiming {
    var evalsPerSec = 0.0
    var roundMs = 0.0
    var coldMs = 0.0
    /// Mean round at minute-aligned t (windows of whole 1m rollup buckets) and at t = :30 (raw edges).
    var alignedMs = 0.0
    var unalignedMs = 0.0
    var rounds = 0
    var alertsPerRound = 0.0
    var notifications = 0
    var errors = 0
    var firstErrors: [String] = []

    /// A first (cold) round kept out of the rate, then rounds until `budget` wall seconds have passed.
    static func measure(store: Store, rules: [AlertRule], end: Int64, budget: Double) -> RuleTiming {
        var r = RuleTiming()
        guard !rules.isEmpty else { return r }
        var engine = RuleEngine(store: store, rules: rules)
        let first = end - 3_600_000
        let c0 = ProcessStats.now()
        r.notifications += engine.evaluate(at: first).count
        r.coldMs = (ProcessStats.now() - c0) * 1000
        r.firstErrors = engine.lastErrors.prefix(3).map(\.description)
        let observed0 = engine.counters.alertsObserved
        var elapsed = 0.0
        var byAlignment: [(seconds: Double, rounds: Int)] = [(0, 0), (0, 0)]
        var t = first
        while r.rounds < 2 || elapsed < budget {
            t = t + 30_000 >= end ? first + 30_000 : t + 30_000
            let t0 = ProcessStats.now()
            r.notifications += engine.evaluate(at: t).count
            let dt = ProcessStats.now() - t0
            elapsed += dt
            r.rounds += 1
            let aligned = t % 60_000 == 0 ? 0 : 1
            byAlignment[aligned].seconds += dt
            byAlignment[aligned].rounds += 1
        }
        r.alignedMs = byAlignment[0].seconds * 1000 / Double(max(1, byAlignment[0].rounds))
        r.unalignedMs = byAlignment[1].seconds * 1000 / Double(max(1, byAlignment[1].rounds))
        r.evalsPerSec = Double(r.rounds * rules.count) / elapsed
        r.roundMs = elapsed * 1000 / Double(r.rounds)
        r.alertsPerRound = Double(engine.counters.alertsObserved - observed0) / Double(r.rounds)
        r.errors = engine.counters.evaluationErrors
        return r
    }
}

/// Anomaly alerter throughput and detection quality on labelled series (seeds 1001, 1002, ...,
/// 12 series each, as docs/ALERTS.md measures).
struct AnomalyTiming {
    var report = DetectionReport()
    var seeds = 0
    var seriesCount = 0
    var benchmarkRate = 0.0
    var interleavedRate = 0.0
    var singleRate = 0.0

    static let seriesPerSeed = 12

    static func measure(series: Int, points: Int) -> AnomalyTiming {
        var r = AnomalyTiming()
        var benchmarkSeconds = 0.0
        var data: [LabelledSeries] = []
        var remaining = series
        while remaining > 0 {
            let n = min(seriesPerSeed, remaining)
            let seed = UInt64(1001 + r.seeds)
            let result = DetectionBenchmark.run(seed: seed, series: n, points: points)
            r.report.merge(result.report)
            benchmarkSeconds += result.pointsPerSecond > 0 ? Double(result.report.points) / result.pointsPerSecond : 0
            var generator = LabelledSeriesGenerator(seed: seed, points: points)
            data += generator.dataset(count: n)
            remaining -= n
            r.seeds += 1
        }
        r.seriesCount = data.count
        r.benchmarkRate = benchmarkSeconds > 0 ? Double(r.report.points) / benchmarkSeconds : 0
        r.interleavedRate = interleaved(data)
        var long = LabelledSeriesGenerator(seed: 1000, points: 14 * 1440)
        r.singleRate = single(long.series(.latency, name: "long"))
        return r
    }

    /// Every series advances one point per tick, as the service scores its series each interval.
    static func interleaved(_ data: [LabelledSeries]) -> Double {
        var alerters = data.map { _ in AnomalyAlerter() }
        let longest = data.map(\.values.count).max() ?? 0
        var scored = 0
        let t0 = ProcessStats.now()
        for i in 0..<longest {
            for s in data.indices where i < data[s].values.count {
                _ = alerters[s].observe(timestamp: data[s].timestamps[i], value: data[s].values[i])
                scored += 1
            }
        }
        let seconds = ProcessStats.now() - t0
        return Double(scored) / max(seconds, 1e-9)
    }

    /// One alerter over one series, repeated until a second has passed.
    static func single(_ s: LabelledSeries) -> Double {
        var scored = 0
        let t0 = ProcessStats.now()
        repeat {
            var alerter = AnomalyAlerter()
            for i in s.values.indices { _ = alerter.observe(timestamp: s.timestamps[i], value: s.values[i]) }
            scored += s.values.count
        } while ProcessStats.now() - t0 < 1
        return Double(scored) / (ProcessStats.now() - t0)
    }
}

extension DetectionReport {
    /// Adds another run's counts.
    fileprivate mutating func merge(_ o: DetectionReport) {
        series += o.series
        points += o.points
        incidents += o.incidents
        detected += o.detected
        falseAlarms += o.falseAlarms
        totalDelayPoints += o.totalDelayPoints
        incidentsByKind.merge(o.incidentsByKind, uniquingKeysWith: +)
        detectedByKind.merge(o.detectedByKind, uniquingKeysWith: +)
    }
}
