import Query
import TSDB

/// Counters of the rule engine (notification decisions are in `NotificationLimiter.counters`).
public struct RuleEngineCounters: Sendable, Equatable, Codable {
    /// `evaluate(at:)` calls.
    public var rounds = 0
    /// Rule evaluations (one per rule per round).
    public var evaluations = 0
    /// Alert instances observed (rule outputs plus external observations).
    public var alertsObserved = 0
    public var evaluationErrors = 0
    public var stormSummaries = 0
    /// Alerts forgotten after staying inactive/resolved and unseen for `forgetAfter`.
    public var forgotten = 0
}

/// The state of one alert, for status pages and logs.
public struct AlertStatus: Sendable, Equatable {
    public var key: String, rule: String
    public var labels: [String: String]
    public var phase: AlertPhase
    public var severity: AlertSeverity?
    /// Start of the current breach (pending/firing).
    public var since: Int64?
    public var lastValue: RecentValue?
}

/// Evaluates alert rules against a store and turns their transitions into notifications.
///
/// A value type: the owner keeps it in one task (or behind a lock) and calls `evaluate(at:)`
/// on its schedule; delivery happens elsewhere (`NotificationDispatcher`), so evaluation never
/// waits on a receiver.
public struct RuleEngine: Sendable {
    public let store: Store
    public let queryOptions: QueryOptions
    public private(set) var rules: [AlertRule]
    public private(set) var limiter: NotificationLimiter
    public private(set) var counters = RuleEngineCounters()
    /// Errors of the last round (a failing rule does not stop the others).
    public private(set) var lastErrors: [RuleEvaluationError] = []
    /// Inactive or resolved alerts unseen for this long (ms) are forgotten.
    public var forgetAfter: Int64 = 6 * 3_600_000
    /// Evaluations kept per alert for `AlertNotification.recent`.
    public static let recentCount = 5

    private struct Instance {
        var rule: String
        var labels: [String: String]
        var service: String?
        var machine: AlertStateMachine
        var recent: [RecentValue] = []
        var lastSeen: Int64
        var window: Int64
        var cooldown: Int64
        var action: String
        var baseline: Double?
    }

    private var alerts: [String: Instance] = [:]

    /// An engine over `store`; `maxPerMinute` caps notifications per minute (the rest are summarised).
    public init(store: Store, rules: [AlertRule] = AlertRule.defaults, maxPerMinute: Int = 30, queryOptions: QueryOptions = QueryOptions())
    {
        self.store = store
        self.rules = rules
        self.queryOptions = queryOptions
        limiter = NotificationLimiter(cooldown: 600_000, maxPerMinute: maxPerMinute)
    }

    /// Replaces the rules; alerts of rules no longer present are dropped without notification.
    public mutating func setRules(_ newRules: [AlertRule]) {
        let old = Set(rules.map(\.name))
        let kept = Set(newRules.map(\.name))
        for (key, a) in alerts where old.contains(a.rule) && !kept.contains(a.rule) { drop(key) }
        rules = newRules
    }

    /// Evaluates every rule at `time` (ms) and returns the notifications to send, storm summaries included.
    public mutating func evaluate(at time: Int64) -> [AlertNotification] {
        counters.rounds += 1
        var cache = HealthCache(store: store, options: queryOptions)
        var errors: [RuleEvaluationError] = []
        var out: [AlertNotification] = []
        for rule in rules {
            counters.evaluations += 1
            for o in outputs(of: rule, at: time, cache: &cache, errors: &errors) {
                out += step(
                    key: o.key, rule: rule.name, labels: o.labels, service: o.service, value: o.value, baseline: o.baseline,
                    thresholds: rule.thresholds, window: rule.window, cooldown: rule.cooldown,
                    action: rule.action(service: o.service), at: time, cache: &cache)
            }
        }
        lastErrors = errors
        counters.evaluationErrors += errors.count
        out += catchUp(at: time, cache: &cache)
        if let s = limiter.drainStormSummary(now: time) {
            counters.stormSummaries += 1
            out.append(AlertNotification(storm: s, at: time))
        }
        forgetStale(at: time)
        return out
    }

    /// Feeds a value from outside the rules (e.g. the anomaly detector) through the same
    /// lifecycle, dedup, cool-down and storm cap; returns the notifications to send.
    public mutating func observe(
        ruleName: String, key: String, labels: [String: String], value: Double?, thresholds: AlertThresholds, at time: Int64,
        window: Int64 = 0, cooldown: Int64? = nil, suggestedAction: String = "", baseline: Double? = nil
    ) -> [AlertNotification] {
        var cache = HealthCache(store: store, options: queryOptions)
        return step(
            key: key, rule: ruleName, labels: labels, service: labels[Labels.service], value: value, baseline: baseline,
            thresholds: thresholds, window: window, cooldown: cooldown ?? limiter.cooldown, action: suggestedAction, at: time,
            cache: &cache)
    }

    /// Every known alert that is pending or firing, sorted by key.
    public var activeAlerts: [AlertStatus] {
        alerts.filter { $0.value.machine.phase == .pending || $0.value.machine.phase == .firing }
            .map { key, a in
                AlertStatus(
                    key: key, rule: a.rule, labels: a.labels, phase: a.machine.phase, severity: a.machine.severity,
                    since: a.machine.breachSince, lastValue: a.recent.last)
            }
            .sorted { $0.key < $1.key }
    }

    /// The phase of alert `key`, nil if unknown.
    public func phase(of key: String) -> AlertPhase? { alerts[key]?.machine.phase }

    /// One observation of one alert: state machine, recent values, limiter, notification.
    private mutating func step(
        key: String, rule: String, labels: [String: String], service: String?, value: Double?, baseline: Double?,
        thresholds: AlertThresholds, window: Int64, cooldown: Int64, action: String, at time: Int64, cache: inout HealthCache
    ) -> [AlertNotification] {
        counters.alertsObserved += 1
        var a =
            alerts[key]
            ?? Instance(
                rule: rule, labels: labels, service: service, machine: AlertStateMachine(thresholds: thresholds), lastSeen: time,
                window: window, cooldown: cooldown, action: action)
        (a.labels, a.service, a.window, a.cooldown, a.action, a.lastSeen) = (labels, service, window, cooldown, action, time)
        a.machine.thresholds = thresholds
        if let v = value, !v.isNaN {
            if a.recent.count == Self.recentCount { a.recent.removeFirst() }
            a.recent.append(RecentValue(t: time, v: v))
        }
        a.baseline = baseline
        let transitions = a.machine.observe(value, at: time)
        alerts[key] = a
        return transitions.compactMap { t in
            limiter.admit(key: key, t, cooldown: cooldown) == .send ? notification(key: key, a, t, cache: &cache) : nil
        }
    }

    /// Re-offers firing alerts whose re-fire the cool-down suppressed, now that it has ended.
    private mutating func catchUp(at time: Int64, cache: inout HealthCache) -> [AlertNotification] {
        var out: [AlertNotification] = []
        for key in limiter.deferredKeys(dueAt: time) {
            guard let a = alerts[key], a.machine.phase == .firing, let severity = a.machine.severity else { continue }
            let t = AlertTransition(
                from: .firing, to: .firing, severity: severity, previousSeverity: nil, at: time, value: a.recent.last?.v)
            if limiter.admit(key: key, t, cooldown: a.cooldown) == .send { out.append(notification(key: key, a, t, cache: &cache)) }
        }
        return out
    }

    private func notification(key: String, _ a: Instance, _ t: AlertTransition, cache: inout HealthCache) -> AlertNotification {
        AlertNotification(
            rule: a.rule, key: key, labels: a.labels, service: a.service, transition: t, thresholds: a.machine.thresholds,
            window: a.window, baseline: a.baseline, recent: a.recent,
            health: a.service.flatMap { cache.snapshot(service: $0, end: t.at) }, suggestedAction: a.action)
    }

    private mutating func forgetStale(at time: Int64) {
        for (key, a) in alerts where a.machine.phase != .pending && a.machine.phase != .firing && time &- a.lastSeen > forgetAfter {
            drop(key)
            counters.forgotten += 1
        }
    }

    private mutating func drop(_ key: String) {
        alerts[key] = nil
        limiter.forget(key: key)
    }
}
