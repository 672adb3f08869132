import Alerting
import Foundation
import Query
import TSDB

/// The operational-intelligence loop over the store: threshold rules, anomaly scores, SLO burn
/// rates (all through one `RuleEngine`, so every alert shares the lifecycle, deduplication,
/// cool-downs and storm cap), recording rules, and self-monitoring samples. `tick` does one
/// round; `start` runs it every second on its own thread. Notifications go to the dispatcher,
/// which delivers them without blocking the loop.
public final class AlertingService: @unchecked Sendable {
    /// Counters for `/metrics`, `/api/v1/alerts` and tests.
    public struct Counters: Sendable, Equatable {
        /// Notifications sent, by severity (`warning`, `critical`) and `resolved`.
        public var notifications: [String: Int] = [:]
        public var ruleRounds = 0
        public var anomalyPointsScored = 0
        public var sloEvaluations = 0
        public var sloErrors = 0
        public var selfSamplesWritten = 0
        public var selfWriteErrors = 0
        public var recordingEvaluations = 0
        public var recordingFailures = 0
    }

    /// Service name under which the service's own metrics are stored.
    public static let selfService = "metrics-consumer"

    public let store: Store
    /// The configuration in force (replaced by `reload`).
    public var config: ServiceFileConfig { lock.withLock { current } }
    private var current: ServiceFileConfig
    public let dispatcher: NotificationDispatcher
    /// Seconds between self-monitoring writes into the store.
    public var selfMonitorInterval: Int64 = 15_000
    private let clock: @Sendable () -> Int64
    private let selfMetrics: (@Sendable () -> [MetricFamily])?
    private let lock = NSLock()
    private var engine: RuleEngine
    private var anomalies: AnomalyWatch
    private var recording: RecordingRuleRunner
    private var counters = Counters()
    private var recent: [AlertNotification] = []
    private var slo: [String: SLOReport] = [:]
    private var next = (rules: Int64.min, anomaly: Int64.min, selfMonitor: Int64.min)
    private var thread: Thread?
    private let stopping = NSCondition()
    private var stopped = false

    /// Most recent notifications kept for `/api/v1/alerts`.
    public static let recentLimit = 100

    public init(
        store: Store, config: ServiceFileConfig, notifiers: [any AlertNotifier], clock: @escaping @Sendable () -> Int64,
        selfMetrics: (@Sendable () -> [MetricFamily])? = nil
    ) {
        self.store = store
        current = config
        self.clock = clock
        self.selfMetrics = selfMetrics
        dispatcher = NotificationDispatcher(notifiers: notifiers)
        engine = RuleEngine(store: store, rules: config.alerts.rules, maxPerMinute: config.alerts.maxPerMinute)
        anomalies = AnomalyWatch(config: config.anomaly)
        recording = RecordingRuleRunner(store: store, rules: config.recordingRules)
    }

    /// Applies a new configuration's rules, SLOs, capacity entries, recording rules and anomaly
    /// settings from the next round on (SIGHUP). Alerts of rules that keep their name keep their
    /// state (thresholds follow the new rule); detectors restart only when the anomaly settings
    /// changed. Webhook, transforms and Kafka settings need a restart.
    public func reload(_ config: ServiceFileConfig) {
        lock.withLock {
            engine.setRules(config.alerts.rules)
            if config.anomaly != current.anomaly { anomalies = AnomalyWatch(config: config.anomaly) }
            if config.recordingRules != current.recordingRules {
                recording = RecordingRuleRunner(store: store, rules: config.recordingRules)
            }
            if config.alerts.evaluationInterval != current.alerts.evaluationInterval { next.rules = .min }
            if config.anomaly.evaluationInterval != current.anomaly.evaluationInterval { next.anomaly = .min }
            slo = slo.filter { name, _ in config.slos.contains { $0.name == name } }
            current = config
        }
    }

    /// Runs `tick` every second on a dedicated thread until `stop`.
    public func start() {
        let t = Thread { [self] in
            while !waitForStop(seconds: 1) { _ = tick(now: clock()) }
        }
        t.name = "alerting"
        t.start()
        thread = t
    }

    /// Stops the loop and waits (bounded) for queued notifications to be delivered.
    public func stop() async {
        signalStop()
        await dispatcher.finish()
    }

    private func signalStop() {
        stopping.lock()
        stopped = true
        stopping.broadcast()
        stopping.unlock()
    }

    private func waitForStop(seconds: Double) -> Bool {
        stopping.lock()
        defer { stopping.unlock() }
        if !stopped { _ = stopping.wait(until: Date(timeIntervalSinceNow: seconds)) }
        return stopped
    }

    /// One round at `now`: whatever is due among rules + SLOs, anomaly scoring, recording rules
    /// and self-monitoring. Returns the notifications handed to the dispatcher.
    @discardableResult
    public func tick(now: Int64) -> [AlertNotification] {
        lock.lock()
        defer { lock.unlock() }
        var out: [AlertNotification] = []
        if now >= next.selfMonitor, let selfMetrics {
            next.selfMonitor = now &+ selfMonitorInterval
            writeSelfMetrics(selfMetrics(), at: now)
        }
        if now >= next.rules {
            next.rules = now &+ current.alerts.evaluationInterval
            out += engine.evaluate(at: now)
            counters.ruleRounds += 1
            out += evaluateSLOs(at: now)
        }
        if current.anomaly.enabled, now >= next.anomaly {
            next.anomaly = now &+ current.anomaly.evaluationInterval
            let (notifications, scored) = anomalies.score(store: store, engine: &engine, at: now)
            out += notifications
            counters.anomalyPointsScored += scored
        }
        for (_, outcome) in recording.runDue(at: now) {
            counters.recordingEvaluations += 1
            if case .failed = outcome { counters.recordingFailures += 1 }
        }
        for n in out {
            counters.notifications[n.state == .resolved ? "resolved" : n.severity.rawValue, default: 0] += 1
            _ = dispatcher.enqueue(n)
        }
        recent.append(contentsOf: out)
        if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
        return out
    }

    /// SLO status and burn-rate alerts: one alert per SLO and burn-rate rule (`slo:<name>:fast`
    /// critical at 14.4x, `slo:<name>:slow` warning at 6x), valued at the lower of its two
    /// windows' burn rates, so it fires exactly when the multi-window condition holds.
    private func evaluateSLOs(at now: Int64) -> [AlertNotification] {
        let tracker = SLOTracker(store: store)
        var out: [AlertNotification] = []
        for spec in current.slos {
            counters.sloEvaluations += 1
            do {
                let status = try tracker.status(spec, at: now)
                let burn = try tracker.burnRateStatus(spec, at: now)
                slo[spec.name] = SLOReport(status: status, burn: burn)
                for c in burn.conditions {
                    let value = c.longBurnRate.flatMap { l in c.shortBurnRate.map { min(l, $0) } }
                    let thresholds =
                        c.rule.severity == .critical
                        ? AlertThresholds(warning: nil, critical: c.rule.threshold, resolve: c.rule.threshold / 2)
                        : AlertThresholds(warning: c.rule.threshold, critical: nil, resolve: c.rule.threshold / 2)
                    out += engine.observe(
                        ruleName: "slo_burn_rate", key: "slo:\(spec.name):\(c.rule.name)",
                        labels: ["slo": spec.name, "service": spec.service, "burn_window": c.rule.name], value: value,
                        thresholds: thresholds, at: now, window: c.rule.longWindow,
                        suggestedAction:
                            "Error budget of \(spec.name) is burning \(c.rule.name == "fast" ? "fast" : "steadily"): find the change or dependency behind the errors/latency of \(spec.service)."
                    )
                }
            } catch {
                counters.sloErrors += 1
            }
        }
        return out
    }

    /// The service's own metrics as samples of service="metrics-consumer" (one batch).
    private func writeSelfMetrics(_ families: [MetricFamily], at now: Int64) {
        var batch = WriteBatch()
        for f in families {
            for s in f.samples where s.value.isFinite {
                var pairs = [Label(Labels.metricName, f.name + s.suffix), Label(Labels.service, Self.selfService)]
                for (k, v) in s.labels where k != Labels.service && k != Labels.metricName { pairs.append(Label(k, v)) }
                batch.append(Labels(pairs), now, s.value)
            }
        }
        do {
            counters.selfSamplesWritten += try store.append(batch).accepted
        } catch {
            counters.selfWriteErrors += 1
        }
    }

    public var stats: Counters { lock.withLock { counters } }

    /// Pending and firing alerts.
    public var activeAlerts: [AlertStatus] { lock.withLock { engine.activeAlerts } }

    /// The newest notifications, oldest first.
    public var recentNotifications: [AlertNotification] { lock.withLock { recent } }

    /// The engine's counters (evaluations, suppressed by reason, storms).
    public var engineCounters: (engine: RuleEngineCounters, limiter: NotificationCounters) {
        lock.withLock { (engine.counters, engine.limiter.counters) }
    }

    /// The latest status of every configured SLO (computed at each rules round).
    public var sloReports: [SLOReport] { lock.withLock { current.slos.compactMap { slo[$0.name] } } }

    /// Recording rule statistics, in the configured order.
    public var recordingStats: [(rule: RecordingRule, stats: RecordingRuleStats)] {
        lock.withLock { Array(zip(recording.rules, recording.stats)) }
    }
}

/// One SLO's compliance, budget and burn rates at one time.
public struct SLOReport: Sendable, Equatable {
    public var status: SLOStatus
    public var burn: BurnRateStatus
}
