import Alerting

extension ServiceFileConfig {
    static let alertKeys: Set<String> = [
        "evaluation_interval", "max_notifications_per_minute", "default_cooldown", "webhook", "redis_list_length", "rules",
    ]
    static let ruleKeys: Set<String> = [
        "name", "health", "expr", "services", "latency_metric", "window", "direction", "warning", "critical", "resolve", "for",
        "cooldown", "baseline", "action", "labels",
    ]

    /// `alerts:`; a missing `rules` key keeps the built-in rules, an empty list has none.
    static func parseAlerts(_ node: ConfigNode) throws(ConfigError) -> AlertsConfig {
        var c = AlertsConfig()
        let m = try node.mapping(allowed: alertKeys)
        if let n = m["evaluation_interval"] { c.evaluationInterval = try n.duration() }
        if let n = m["max_notifications_per_minute"] { c.maxPerMinute = try n.integer(in: 1...1_000_000) }
        if let n = m["default_cooldown"] { c.defaultCooldown = try n.duration(minimum: 0) }
        if let n = m["webhook"] { c.webhook = try parseWebhook(n) }
        if let n = m["redis_list_length"] { c.redisListLength = try n.integer(in: 1...10_000_000) }
        if let n = m["rules"] {
            var names = Set<String>()
            c.rules = []
            for item in try n.list() {
                let rule = try parseRule(item, defaultCooldown: c.defaultCooldown)
                guard names.insert(rule.name).inserted else { throw item.error("duplicate rule name '\(rule.name)'") }
                c.rules.append(rule)
            }
        } else {
            // The built-in rules follow the file's default cool-down too.
            for i in c.rules.indices { c.rules[i].cooldown = c.defaultCooldown }
        }
        return c
    }

    static func parseWebhook(_ node: ConfigNode) throws(ConfigError) -> WebhookConfig {
        let m = try node.mapping(allowed: ["url", "attempts", "backoff", "timeout"])
        let urlNode = try m.required("url")
        let url = try urlNode.string()
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > 8 else {
            throw urlNode.error("expected an http:// or https:// URL, found '\(url)'")
        }
        var w = WebhookConfig(url: url)
        if let n = m["attempts"] { w.attempts = try n.integer(in: 1...20) }
        if let n = m["backoff"] { w.backoff = try n.duration(minimum: 0) }
        if let n = m["timeout"] { w.timeout = try n.duration() }
        return w
    }

    /// Config names of the health figures (snake_case).
    static let healthMetricNames: [(String, HealthMetric)] = [
        ("p99_latency_ms", .p99LatencyMs), ("p95_latency_ms", .p95LatencyMs), ("avg_latency_ms", .avgLatencyMs),
        ("error_rate", .errorRate), ("availability", .availability), ("throughput_rps", .throughputRps),
        ("throughput_drop", .throughputDrop),
    ]

    /// Figures that are fractions 0-1 (a threshold of 5 meant as 5 % would never fire).
    static func isFraction(_ m: HealthMetric) -> Bool { m == .errorRate || m == .availability || m == .throughputDrop }

    static func parseRule(_ node: ConfigNode, defaultCooldown: Int64) throws(ConfigError) -> AlertRule {
        let m = try node.mapping(allowed: ruleKeys)
        let nameNode = try m.required("name")
        let name = try nameNode.string()
        guard isMetricName(name) else { throw nameNode.error("rule names use letters, digits, '_' and ':' only, found '\(name)'") }

        let kind: AlertRuleKind
        var fraction = false
        switch (m["health"], m["expr"]) {
        case (let h?, nil):
            let metric = try h.choice(healthMetricNames)
            fraction = isFraction(metric)
            kind = .health(metric, services: try m["services"].map { n throws(ConfigError) in try n.stringList() })
        case (nil, let e?):
            kind = .expression(try e.promQL())
            for key in ["services", "latency_metric", "baseline"] {
                if let n = m[key] { throw n.error("'\(key)' applies to health rules only") }
            }
        case (.some, .some): throw node.error("a rule has either 'health' or 'expr', not both")
        case (nil, nil): throw node.error("a rule needs 'health' (a service figure) or 'expr' (a PromQL expression)")
        }

        let direction: AlertDirection = try m["direction"]?.choice([("above", .above), ("below", .below)]) ?? .above
        let warning = try m["warning"]?.number()
        let critical = try m["critical"]?.number()
        let resolve = try m["resolve"]?.number()
        guard warning != nil || critical != nil else { throw node.error("a rule needs 'warning', 'critical' or both") }
        try checkOrder(m, direction: direction, warning: warning, critical: critical, resolve: resolve, fraction: fraction)

        let forDuration = try m["for"]?.duration(minimum: 0) ?? 0
        var rule = AlertRule(
            name: name, kind: kind, window: try m["window"]?.duration() ?? 300_000,
            thresholds: AlertThresholds(
                direction: direction, warning: warning, critical: critical, resolve: resolve, forDuration: forDuration),
            cooldown: try m["cooldown"]?.duration(minimum: 0) ?? defaultCooldown,
            suggestedAction: try m["action"]?.scalarText() ?? "",
            labels: try labelMap(m["labels"]),
            latencyMetric: try m["latency_metric"]?.string())
        if let b = m["baseline"] { rule.baseline = try b.duration() }
        return rule
    }

    /// Warning before critical and resolve on the healthy side, in the rule's direction.
    static func checkOrder(
        _ m: ConfigMap, direction: AlertDirection, warning: Double?, critical: Double?, resolve: Double?, fraction: Bool
    ) throws(ConfigError) {
        let above = direction == .above
        let word = above ? "below" : "above"
        if let w = warning, let c = critical, above ? !(w < c) : !(w > c) {
            throw (m["critical"] ?? m.owner).error(
                "critical (\(c)) must lie \(above ? "above" : "below") warning (\(w)) for direction \(direction.rawValue)")
        }
        if let r = resolve, let first = warning ?? critical, above ? r > first : r < first {
            throw (m["resolve"] ?? m.owner).error(
                "resolve (\(r)) must lie at or \(word) the first threshold (\(first)) for direction \(direction.rawValue)")
        }
        guard fraction else { return }
        for key in ["warning", "critical", "resolve"] {
            if let n = m[key], let v = try? n.number(), !(0...1).contains(v) {
                throw n.error("this figure is a fraction 0-1 (5 % is 0.05), found \(v)")
            }
        }
    }

    /// A label map: names as Prometheus allows, values non-empty.
    static func labelMap(_ node: ConfigNode?) throws(ConfigError) -> [String: String] {
        guard let node else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in try node.anyKeyMapping().entries {
            guard isLabelName(k), k != "__name__" else {
                throw v.error("invalid label name '\(k)' (letters, digits and '_', not starting with a digit)")
            }
            out[k] = try v.string()
        }
        return out
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`, the names the store accepts.
    static func isLabelName(_ s: String) -> Bool {
        guard let f = s.utf8.first, !(0x30...0x39).contains(f) else { return false }
        return s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F }
    }

    /// A label name that may also contain ':' (Prometheus metric and rule names).
    static func isMetricName(_ s: String) -> Bool {
        isLabelName(s.replacingOccurrences(of: ":", with: "_"))
    }
}
