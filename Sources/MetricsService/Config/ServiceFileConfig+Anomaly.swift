import Alerting

extension ServiceFileConfig {
    /// `anomaly:`.
    static func parseAnomaly(_ node: ConfigNode) throws(ConfigError) -> AnomalyConfig {
        var c = AnomalyConfig()
        let m = try node.mapping(allowed: ["enabled", "evaluation_interval", "metrics", "series", "settings"])
        if let n = m["enabled"] { c.enabled = try n.bool() }
        if let n = m["evaluation_interval"] { c.evaluationInterval = try n.duration() }
        if let n = m["metrics"] {
            c.metrics = []
            for item in try n.list() { c.metrics.append(try item.choice(healthMetricNames)) }
        }
        if let n = m["series"] { c.series = try n.stringList() }
        if let n = m["settings"] { c.settings = try parseDetectorSettings(n) }
        return c
    }

    /// A setter of one `DetectorSettings` field from its config node (validating its range).
    typealias SettingParser = @Sendable (inout DetectorSettings, ConfigNode) throws(ConfigError) -> Void

    /// `DetectorSettings` fields in snake_case, each with its valid range.
    static let detectorSettings: [(String, SettingParser)] = [
        ("baseline_window", { s, n throws(ConfigError) in s.baselineWindow = try n.duration() }),
        ("max_baseline_points", { s, n throws(ConfigError) in s.maxBaselinePoints = try n.integer(in: 8...1_000_000) }),
        ("min_points", { s, n throws(ConfigError) in s.minPoints = try n.integer(in: 3...1_000_000) }),
        ("z_threshold", { s, n throws(ConfigError) in s.zThreshold = try positive(n) }),
        ("mad_threshold", { s, n throws(ConfigError) in s.madThreshold = try positive(n) }),
        ("seasonal_threshold", { s, n throws(ConfigError) in s.seasonalThreshold = try positive(n) }),
        ("cusum_k", { s, n throws(ConfigError) in s.cusumK = try nonNegative(n) }),
        ("cusum_h", { s, n throws(ConfigError) in s.cusumH = try positive(n) }),
        ("cusum_clip", { s, n throws(ConfigError) in s.cusumClip = try positive(n) }),
        ("short_window_points", { s, n throws(ConfigError) in s.shortWindowPoints = try n.integer(in: 2...1_000_000) }),
        (
            "variance_ratio_threshold",
            { s, n throws(ConfigError) in
                let v = try n.number()
                guard v > 1 else { throw n.error("must be greater than 1, found \(v)") }
                s.varianceRatioThreshold = v
            }
        ),
        ("long_memory", { s, n throws(ConfigError) in s.longMemory = try n.duration() }),
        ("variance_memory", { s, n throws(ConfigError) in s.varianceMemory = try n.duration() }),
        ("baseline_clip", { s, n throws(ConfigError) in s.baselineClip = try positive(n) }),
        ("detrend_without_seasonal", { s, n throws(ConfigError) in s.detrendWithoutSeasonal = try n.bool() }),
        ("seasonal", { s, n throws(ConfigError) in s.seasonal = try n.bool() }),
        ("alert_score", { s, n throws(ConfigError) in s.alertScore = try score(n) }),
        ("critical_score", { s, n throws(ConfigError) in s.criticalScore = try score(n) }),
        ("resolve_score", { s, n throws(ConfigError) in s.resolveScore = try score(n) }),
        ("for_duration", { s, n throws(ConfigError) in s.forDuration = try n.duration(minimum: 0) }),
        ("cooldown", { s, n throws(ConfigError) in s.cooldown = try n.duration(minimum: 0) }),
    ]

    /// `anomaly.settings:`; scores must keep resolve < alert <= critical.
    static func parseDetectorSettings(_ node: ConfigNode) throws(ConfigError) -> DetectorSettings {
        var s = DetectorSettings()
        let m = try node.mapping(allowed: Set(detectorSettings.map(\.0)))
        for (key, set) in detectorSettings {
            if let n = m[key] { try set(&s, n) }
        }
        guard s.resolveScore < s.alertScore, s.alertScore <= s.criticalScore else {
            throw node.error(
                "scores must satisfy resolve_score < alert_score <= critical_score, found \(s.resolveScore), \(s.alertScore), \(s.criticalScore)"
            )
        }
        return s
    }

    static func positive(_ n: ConfigNode) throws(ConfigError) -> Double {
        let v = try n.number()
        guard v > 0 else { throw n.error("must be positive, found \(v)") }
        return v
    }

    static func nonNegative(_ n: ConfigNode) throws(ConfigError) -> Double {
        let v = try n.number()
        guard v >= 0 else { throw n.error("must not be negative, found \(v)") }
        return v
    }

    /// An anomaly score, strictly between 0 and 1.
    static func score(_ n: ConfigNode) throws(ConfigError) -> Double {
        let v = try n.number()
        guard v > 0, v < 1 else { throw n.error("a score lies strictly between 0 and 1, found \(v)") }
        return v
    }
}
